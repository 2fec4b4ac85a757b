from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "preau.accounts"
    verbose_name = "Comptes et rôles"
