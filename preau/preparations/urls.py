from django.urls import path

from . import views

app_name = "preparations"

# Mounted under /sessions/ (config/urls.py); the websocket is /ws/preparations/<id>/ (routing.py).
urlpatterns = [
    path("preparations/activites/<id:pk>/", views.activity, name="activity"),
    path("preparations/activites/<id:pk>/groupes/", views.make_groups, name="make_groups"),
    path("preparations/activites/<id:pk>/deplacer/", views.move_member, name="move_member"),
    path("preparations/groupes/<id:pk>/", views.group, name="group"),
    path("preparations/groupes/<id:pk>/supprimer/", views.delete_group, name="delete_group"),
    path("preparations/groupes/<id:pk>/retirer/", views.remove_member, name="remove_member"),
    path("preparations/groupes/<id:pk>/ajouter/", views.add_member, name="add_member"),
    path("preparations/documents/<id:pk>/", views.document, name="document"),
    path("preparations/documents/<id:pk>/modifier/", views.document_update, name="update"),
    path("preparations/documents/<id:pk>/auteurs/", views.document_authors, name="authors"),
    path("preparations/documents/<id:pk>/preparation.pdf", views.document_pdf, name="pdf"),
    path("preparations/documents/<id:pk>/preparation.odt", views.document_odt, name="odt"),
    path("preparations/documents/<id:pk>/versions/", views.versions, name="versions"),
    path("preparations/versions/<id:pk>/", views.version, name="version"),
    path("preparations/documents/<id:pk>/comparer/", views.compare, name="compare"),
    path("preparations/documents/<id:pk>/partager/", views.share, name="share"),
    path("preparations/documents/<id:pk>/commentaires/", views.add_comment, name="add_comment"),
    path("preparations/documents/<id:pk>/commentaires/liste/", views.comments, name="comments"),
    path("preparations/commentaires/<id:pk>/", views.comment, name="comment"),
    path(
        "preparations/commentaires/<id:pk>/resoudre/",
        views.resolve_comment,
        name="resolve_comment",
    ),
    path("preparations/commentaires/<id:pk>/rouvrir/", views.reopen_comment, name="reopen_comment"),
    path("preparations/commentaires/<id:pk>/repondre/", views.reply_comment, name="reply_comment"),
    path(
        "preparations/commentaires/<id:pk>/supprimer/",
        views.delete_comment,
        name="delete_comment",
    ),
    path("preparations/reponses/<id:pk>/supprimer/", views.delete_reply, name="delete_reply"),
    path("preparations/documents/<id:pk>/proposer/", views.propose, name="propose"),
    path("preparations/propositions/<id:pk>/", views.proposal, name="proposal"),
]
