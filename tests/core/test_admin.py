import pytest

ADMIN_PAGES = [
    "/admin/hours/hourspolicy/",
    "/admin/hours/hourspolicy/add/",
    "/admin/hours/entry/",
    "/admin/hours/animation/",
    "/admin/training/trainingsession/",
    "/admin/training/enrolment/",
    "/admin/parcours/parcours/",
    "/admin/accounts/user/",
    "/admin/territories/school/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_technical_admin_pages_open_for_a_superuser(client, db, url):
    from tests import factories

    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    assert client.get(url).status_code == 200


def test_technical_admin_is_closed_to_a_teacher(client, cast):
    client.force_login(cast["teacher"])

    assert client.get("/admin/hours/hourspolicy/").status_code == 302


def test_an_animation_cannot_be_deleted_in_the_admin(client, territory):
    """Deleting it would remove its attendees' ledger lines behind the yearly totals' back."""
    import datetime

    from preau.hours.models import Animation
    from tests import factories

    animation = Animation.objects.create(
        title="Conférence", date=datetime.date(2026, 10, 7), circonscription=territory["caen"]
    )
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    assert client.get(f"/admin/hours/animation/{animation.pk}/delete/").status_code == 403
    assert Animation.objects.filter(pk=animation.pk).exists()


# Class names that are French words: their derived name is already the right one.
SAME_IN_FRENCH = {
    "circonscription",
    "forum",
    "notification",
    "parcours",
    "question",
    "questionnaire",
    "section",
}


def test_every_model_names_itself_in_french_in_singular_and_plural():
    """Django's default names are the class name in English, plural with an "s" added
    (« Entrys », « Hours policys »): each model says both of its names explicitly."""
    from django.apps import apps
    from django.utils.text import camel_case_to_spaces

    unnamed, english = [], []
    for model in apps.get_models():
        if not model.__module__.startswith("preau."):
            continue
        options = model._meta
        if not {"verbose_name", "verbose_name_plural"} <= options.original_attrs.keys():
            unnamed.append(model.__name__)
        derived = camel_case_to_spaces(model.__name__)
        if str(options.verbose_name) == derived and derived not in SAME_IN_FRENCH:
            english.append(model.__name__)
        if str(options.verbose_name_plural) == f"{derived}s" and derived not in SAME_IN_FRENCH:
            english.append(model.__name__)

    assert unnamed == [], "Meta without verbose_name and verbose_name_plural"
    assert english == [], "names left in English"


def test_the_admin_index_lists_the_models_by_their_french_plural(client, db):
    from django.contrib import admin
    from django.utils.text import capfirst

    from tests import factories

    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    content = client.get("/admin/").content.decode()

    assert "Lignes du registre des heures" in content
    assert "Règles des 18 heures des académies" in content
    assert "Entrys" not in content and "policys" not in content.lower()
    preau_models = [m for m in admin.site._registry if m.__module__.startswith("preau.")]
    assert len(preau_models) > 15
    for model in preau_models:
        assert f">{capfirst(model._meta.verbose_name_plural)}<" in content, model.__name__


def test_the_models_of_installed_packages_are_named_in_french_in_the_admin_index(client, db):
    """Their Meta and migrations are the packages' own: the admin site renames them."""
    from django.contrib import admin

    from preau.core.admin_site import PACKAGE_APP_NAMES, PACKAGE_MODEL_NAMES
    from tests import factories

    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    content = client.get("/admin/").content.decode()

    for english in ("Task Results", "TOTP devices", "Static devices", "Otp_Totp", "Tasks Database"):
        assert english not in content
    for name in [*PACKAGE_APP_NAMES.values(), *PACKAGE_MODEL_NAMES.values()]:
        assert str(name).replace("’", "&#x27;") in content or str(name) in content, name
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert set(PACKAGE_MODEL_NAMES) <= registered
