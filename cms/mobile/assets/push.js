// Web push through OneSignal's SDK, only when the server is configured with
// ONESIGNAL_APP_ID (the shell then loads the SDK and names the id). Without it
// nothing here runs and the inbox polls (guest.js).
import { op } from "./api.js";

let started = false;

export function pushConfigured() {
  return Boolean(document.body.dataset.onesignalAppId);
}

// Called once signed in: registerPushDevice needs to know who this phone is.
export function startPush(onNotification) {
  if (!pushConfigured() || started) return;
  started = true;
  const appId = document.body.dataset.onesignalAppId;
  (globalThis.OneSignalDeferred ??= []).push(async (OneSignal) => {
    // Its own worker at its own scope: the app's worker is a module and cannot importScripts.
    await OneSignal.init({ appId, serviceWorkerPath: "app/push/OneSignalSDKWorker.js",
      serviceWorkerParam: { scope: "/app/push/" } });
    const register = async () => {
      const id = OneSignal.User.PushSubscription.id;
      if (!id) return;
      try {
        const data = await op("RegisterPushDevice", { subscriptionId: id, platform: "WEB" });
        if (data.registerPushDevice.externalId) await OneSignal.login(data.registerPushDevice.externalId);
      } catch { /* offline: registered again at the next start */ }
    };
    OneSignal.User.PushSubscription.addEventListener("change", register);
    OneSignal.Notifications.addEventListener("foregroundWillDisplay", onNotification);
    if (!OneSignal.Notifications.permission) await OneSignal.Notifications.requestPermission();
    await register();
  });
}
