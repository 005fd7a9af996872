from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programmes"
    verbose_name = "Phong trào và chương trình"
