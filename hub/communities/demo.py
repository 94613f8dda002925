"""Demo communities in the five languages, over every visibility and join policy. Safe to run again.

load(people, organisations) is called by `flask --app hub demo load`; it returns the communities by slug.
"""

import sqlalchemy as sa

from hub.communities.models import ACTIVE, INVITED, MEMBER, PROPOSED, REQUESTED, Community, Follow, Membership
from hub.communities.services import render_description
from hub.db import utcnow
from hub.extensions import db

FACILITATOR, SECRETARIAT = "facilitator@example.org", "secretariat@example.org"

# slug, title, description, languages, themes, region, visibility, join policy, discoverable, status,
# facilitators, members
COMMUNITIES = [
    ("budget-tracking", "Education budget tracking",
     "Coalitions that **follow the money**: reading national budgets, tracking spending on schools and "
     "telling parliaments what they found.\n\n- Share your budget briefs\n- Ask how others got the data",
     ["en", "fr", "pt"], ["financing", "sdg4_monitoring"], "africa", "public", "open", False, ACTIVE,
     [FACILITATOR], ["member@example.org", "joao@example.org", "moussa@example.org", "rahim@example.org"]),
    ("educacion-inclusiva", "Educación inclusiva en América Latina",
     "Un espacio para compartir **prácticas de educación inclusiva**: estudiantes con discapacidad, "
     "pueblos indígenas y educación intercultural bilingüe.", ["es", "pt"], ["inclusion", "right_to_education"],
     "latin_america", "public", "request", False, ACTIVE, ["member@example.org", FACILITATOR],
     ["joao@example.org"]),
    ("enseignants-au-coeur", "Les enseignantes et enseignants au cœur de l'éducation",
     "Échanges entre coalitions et syndicats sur la **profession enseignante** : formation, salaires, "
     "conditions de travail et dialogue social.", ["fr", "en"], ["teachers"], None, "members", "open", False,
     ACTIVE, ["focal@example.org"], ["moussa@example.org", FACILITATOR]),
    ("educacao-emergencias", "Educação em situações de emergência",
     "Como garantir que as crianças continuam a aprender durante **ciclones, cheias e conflitos**? "
     "Partilhamos planos de contingência e experiências de escolas temporárias.", ["pt", "en"],
     ["emergencies", "climate"], "africa", "members", "request", False, ACTIVE,
     ["joao@example.org", FACILITATOR], ["rahim@example.org"]),
    ("taalim-al-banat", "تعليم الفتيات في المنطقة العربية",
     "مجتمع تعلّم حول **تعليم الفتيات** في المنطقة العربية: البقاء في المدرسة، والزواج المبكر، "
     "والتعليم في أوقات النزاع.", ["ar", "en", "fr"], ["gender", "emergencies"], "mena", "public", "invitation",
     False, ACTIVE, ["layla@example.org"], [FACILITATOR, "focal@example.org"]),
    ("privatisation-watch", "Privatisation watch",
     "A private group for coalitions documenting **fee-charging private schools** and public-private "
     "partnerships. Members share evidence before it is published.", ["en", "fr", "es"], ["privatisation"],
     "asia_pacific", "private", "request", True, ACTIVE, [FACILITATOR], ["rahim@example.org", "layla@example.org"]),
    ("coordinateurs-coalitions", "Coordinatrices et coordinateurs de coalitions",
     "Espace **confidentiel** des coordinatrices et coordinateurs nationaux : gouvernance, financement des "
     "coalitions, situations difficiles.", ["fr", "en", "ar"], ["right_to_education"], None, "private",
     "invitation", False, ACTIVE, [FACILITATOR, SECRETARIAT],
     ["focal@example.org", "moussa@example.org", "layla@example.org"]),
    ("climate-education", "Climate education and youth",
     "Young people and coalitions working on **climate education** in the curriculum and adult learning "
     "for climate adaptation.", ["en", "es"], ["climate", "youth_adult_learning"], "asia_pacific", "members",
     "invitation", False, ACTIVE, ["rahim@example.org"], [FACILITATOR, "member@example.org"]),
    ("aprendizaje-digital", "Aprendizaje digital y brecha digital",
     "¿Qué funcionó para **aprender a distancia** sin internet? Radio, televisión, guías impresas y "
     "plataformas públicas.", ["es", "en", "pt"], ["digital", "early_childhood"], "latin_america", "public",
     "open", False, ACTIVE, [FACILITATOR], ["member@example.org", "joao@example.org"]),
    ("aprendizagem-ao-longo-da-vida", "Aprendizagem ao longo da vida",
     "Proposta: um espaço sobre **alfabetização de adultos** e educação não formal.", ["pt"],
     ["youth_adult_learning"], "africa", "public", "open", False, PROPOSED, ["joao@example.org"], []),
]
#: (community slug, email, status, message): a request and an invitation waiting.
PENDING = [
    ("educacion-inclusiva", "rahim@example.org", REQUESTED, "I would like to learn from your work on inclusion."),
    ("taalim-al-banat", "member@example.org", INVITED, "مرحبا! ندعوك للانضمام إلينا."),
    ("privatisation-watch", "joao@example.org", REQUESTED,
     "Em Moçambique também vemos escolas privadas de baixo custo."),
]


def load(people: dict, organisations: dict) -> dict[str, Community]:
    """Create or update the demo communities, their facilitators, members and pending requests."""
    communities = {}
    for spec in COMMUNITIES:
        community = _community(spec, people)
        communities[community.slug] = community
        facilitators, members = spec[10], spec[11]
        for email in facilitators + members:
            if email in people:
                _standing(community, people[email], MEMBER, email in facilitators)
    for slug, email, status, message in PENDING:
        if email in people:
            _standing(communities[slug], people[email], status, False, message)
    db.session.flush()
    return communities


def _community(spec, people) -> Community:
    (slug, title, description, languages, themes, region, visibility, join_policy, discoverable, status,
     facilitators, _members) = spec
    community = db.session.scalar(sa.select(Community).where(Community.slug == slug))
    if community is None:
        community = Community(slug=slug)
        db.session.add(community)
    community.title, community.description, community.languages, community.themes = title, description, \
        languages, themes
    community.region, community.visibility, community.join_policy = region, visibility, join_policy
    community.discoverable, community.status, community.deleted_at = discoverable, status, None
    community.created_by = people.get(facilitators[0])
    render_description(community)
    db.session.flush()
    return community


def _standing(community, user, status, facilitator, message="") -> None:
    """Give the person this standing (members follow the community); existing rows are updated."""
    membership = db.session.scalar(sa.select(Membership).where(
        Membership.community_id == community.id, Membership.user_id == user.id))
    if membership is None:
        membership = Membership(community_id=community.id, user_id=user.id, joined_at=utcnow())
        db.session.add(membership)
    membership.status, membership.is_facilitator, membership.message = status, facilitator, message
    if status == MEMBER and db.session.scalar(sa.select(Follow.id).where(
            Follow.community_id == community.id, Follow.user_id == user.id)) is None:
        db.session.add(Follow(community_id=community.id, user_id=user.id))
    db.session.flush()
