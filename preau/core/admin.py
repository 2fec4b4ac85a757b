"""What every ModelAdmin of Préau shares (Django's admin, for technical staff).

`FoldedSearchMixin`: the admin's search box works like every other search box of Préau
(preau/core/search.py): the terms are parsed and capped (10 words, 200 characters: a query of
2,000 words made one condition per word and field), and accents and case never matter
(« eleve » finds « Élève »), through the `folded` lookup on both databases. Every word must be
found in one of the `search_fields` (plain field paths: `user__last_name`, not `^` or `=`).
"""

from django.contrib.admin.utils import lookup_spawns_duplicates

from .search import parse, words_filter


class FoldedSearchMixin:
    def get_search_results(self, request, queryset, search_term):
        terms = parse(search_term)
        fields = [field.removesuffix("__folded") for field in self.get_search_fields(request)]
        if not terms or not fields:
            return queryset, False
        duplicates = any(lookup_spawns_duplicates(self.opts, field) for field in fields)
        return queryset.filter(words_filter(terms, *fields)), duplicates
