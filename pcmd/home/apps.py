from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "pcmd.home"
    label = "home"
    verbose_name = "Home: my work"
