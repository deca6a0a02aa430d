// Photos are shrunk on the phone before they are queued: field coverage is
// thin, and a 12-megapixel original would take minutes to send.
const MAX_SIDE = 1600;
const QUALITY = 0.85;

export async function resize(file) {
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
    if (!blob) throw new Error("toBlob");
    return { blob, name: file.name.replace(/\.[^.]*$/, "") + ".jpg" };
  } catch {
    // A format the browser cannot draw (HEIC on some phones): the server converts it.
    return { blob: file, name: file.name };
  }
}
