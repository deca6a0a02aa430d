from django_tasks import task


@task()
def send_delivery_task(delivery_pk):
    from .delivery import send_delivery
    from .models import Delivery

    delivery = Delivery.objects.select_related("endpoint").filter(pk=delivery_pk).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return None
    return send_delivery(delivery)
