"""Reading the answers a participant posts, and the designers' question form."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from preau.core.params import parse_int

from .models import QuestionKind, competence_choices
from .services import TEXT_MAX_CHARS


def _number(value: str) -> int | None:
    """An option number (0 to 999), or None: « ² » passes `str.isdigit()` but not `int()`."""
    try:
        return parse_int(value, hi=999)
    except ValueError:
        return None


def answers_from_post(questionnaire, post) -> dict:
    """{question id: option number, list of option numbers, or text} from the posted form
    (field « q<id> »); a value that is not one of the question's is left out, never a 500."""
    answers: dict = {}
    for question in questionnaire.questions.all():
        name = f"q{question.pk}"
        if question.kind == QuestionKind.MULTIPLE:
            numbers = [_number(v) for v in post.getlist(name)]
            answers[str(question.pk)] = [n for n in numbers if n is not None]
        elif question.is_choice:
            answers[str(question.pk)] = _number(post.get(name, ""))
        elif question.is_text:
            answers[str(question.pk)] = post.get(name, "")[:TEXT_MAX_CHARS]
    return answers


class QuestionForm(DsfrBaseForm):
    kind = forms.ChoiceField(label=_("Type de question"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Intitulé"), max_length=500)
    options = forms.CharField(
        label=_("Réponses proposées (choix unique ou multiple)"),
        help_text=_("Une par ligne."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    objective = forms.CharField(
        label=_("Objectif visé (auto-positionnement)"), max_length=500, required=False
    )
    competence = forms.ChoiceField(
        label=_("Compétence du référentiel 2013 (facultatif)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competence"].choices = [("", _("Aucune"))] + competence_choices()
