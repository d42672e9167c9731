"""The person layer's pages, one module per part (persons, emergency access and the review
queue, consent and referrals, privacy administration)."""

from __future__ import annotations

from . import urls_access, urls_consent, urls_persons, urls_privacy

app_name = "people"
urlpatterns = [
    *urls_persons.urlpatterns,
    *urls_access.urlpatterns,
    *urls_consent.urlpatterns,
    *urls_privacy.urlpatterns,
]
