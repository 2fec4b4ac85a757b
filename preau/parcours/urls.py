from django.urls import path

from .views import catalogue, design, files, review

app_name = "parcours"

# Each area adds its routes from its own views module: design.py (designers), review.py
# (reviewers and the editorial committee), catalogue.py (offre de parcours, open access).
urlpatterns = [
    path("activites/<id:pk>/<str:field>/", files.activity_file, name="activity_file"),
    path("<id:pk>/vignette/", files.parcours_thumbnail, name="thumbnail"),
    # Design: dashboard, parcours page, indexation, content, lifecycle.
    path("concevoir/", design.design_dashboard, name="design_dashboard"),
    path("<id:pk>/", design.detail, name="detail"),
    path("<id:pk>/indexation/", design.indexation, name="indexation"),
    path("<id:pk>/contenu/", design.editor.content, name="content"),
    path("<id:pk>/contenu/sections/", design.editor.section_add, name="section_add"),
    path("<id:pk>/soumettre/", design.submit, name="submit"),
    path("<id:pk>/dupliquer/", design.duplicate, name="duplicate"),
    path("<id:pk>/nouvelle-version/", design.new_version, name="new_version"),
    path("<id:pk>/archiver/", design.archive, name="archive"),
    path("contenu/sections/<id:pk>/renommer/", design.editor.section_rename, name="section_rename"),
    path("contenu/sections/<id:pk>/deplacer/", design.editor.section_move, name="section_move"),
    path(
        "contenu/sections/<id:pk>/supprimer/", design.editor.section_delete, name="section_delete"
    ),
    path(
        "contenu/sections/<id:pk>/ajouter/<slug:kind>/",
        design.editor.activity_add,
        name="activity_add",
    ),
    path("contenu/activites/<id:pk>/modifier/", design.editor.activity_edit, name="activity_edit"),
    path("contenu/activites/<id:pk>/deplacer/", design.editor.activity_move, name="activity_move"),
    path(
        "contenu/activites/<id:pk>/supprimer/",
        design.editor.activity_delete,
        name="activity_delete",
    ),
    # Review: reviewers' queue and decisions, the editorial committee's national label.
    path("relecture/", review.review_queue, name="review_queue"),
    path("relecture/labels/", review.label_board, name="label_board"),
    path("<id:pk>/approuver/", review.approve, name="approve"),
    path("<id:pk>/renvoyer/", review.request_changes, name="request_changes"),
    path("<id:pk>/label/accorder/", review.label_grant, name="label_grant"),
    path("<id:pk>/label/retirer/", review.label_withdraw, name="label_withdraw"),
    # Catalogues: offre de parcours (trainers) and offre de formation (teachers).
    path("offre/", catalogue.offre, name="offre"),
    path("offre/export.csv", catalogue.offre_csv, name="offre_csv"),
    path("offre/imprimer/", catalogue.offre_print, name="offre_print"),
    path("formation/", catalogue.formation, name="formation"),
    path("modules/<id:pk>/", catalogue.module, name="module"),
    path("modules/<id:pk>/rejoindre/", catalogue.module_join, name="module_join"),
    path("modules/<id:pk>/quitter/", catalogue.module_leave, name="module_leave"),
    path("modules/<id:pk>/termine/", catalogue.module_done, name="module_done"),
]
