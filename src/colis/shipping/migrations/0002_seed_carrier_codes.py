"""Seed the carrier-code table: Amazon's XSD list (locked) + European carriers (editable)."""

from django.db import migrations


def seed(apps, schema_editor):
    from colis.shipping.carrier_codes import all_carrier_codes

    CarrierCode = apps.get_model("shipping", "CarrierCode")
    for code, name, editable in all_carrier_codes():
        CarrierCode.objects.update_or_create(
            code=code, defaults={"name": name, "editable": editable}
        )


class Migration(migrations.Migration):
    dependencies = [("shipping", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
