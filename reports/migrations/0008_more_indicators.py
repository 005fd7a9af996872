from django.db import migrations

from reports.constants import MORE_INDICATORS, RENAMED_INDICATORS, SEED_INDICATORS


def seed(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    for position, (code, name, measure, aggregation) in enumerate(MORE_INDICATORS, start=len(SEED_INDICATORS) + 1):
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
    seeded = {code: name for code, name, _measure, _aggregation in SEED_INDICATORS}
    for code, name in RENAMED_INDICATORS.items():
        # Only where an administrator has not renamed it already.
        Indicator.objects.filter(code=code, name=seeded[code]).update(name=name)


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_signed_pdf")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
