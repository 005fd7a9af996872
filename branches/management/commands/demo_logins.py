from django.core.management.base import BaseCommand

from branches.demo import demo_login_lines


class Command(BaseCommand):
    help = "Print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1:8000", help="Where the server listens (make run's HOST).")

    def handle(self, *args, **options):
        lines = demo_login_lines()
        if not lines:
            self.stdout.write("No demo users in this database (run `manage.py load_demo`).")
            return
        self.stdout.write(f"\nOpen http://{options['host']}/ and log in as (username / password):")
        for line in lines:
            self.stdout.write(line)
        self.stdout.write("")
