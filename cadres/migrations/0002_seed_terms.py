from django.db import migrations


def seed(apps, schema_editor):
    Term = apps.get_model("cadres", "Term")
    for start in (2016, 2021, 2026):
        Term.objects.get_or_create(name=f"{start}–{start + 5}", defaults={"start_year": start, "end_year": start + 5})


class Migration(migrations.Migration):
    dependencies = [("cadres", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
