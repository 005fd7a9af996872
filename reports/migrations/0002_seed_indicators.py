from django.db import migrations

from reports.constants import SEED_INDICATORS


def seed(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    for position, (code, name, measure, aggregation) in enumerate(SEED_INDICATORS, start=1):
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "measure": measure,
                "aggregation": aggregation,
                "levels": ",province,district,commune,",
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
