"""More demo members, from every region, so communities, replies and the directory look lived in.

They share the demo password and are plain members (no role); each says what they know (expertise),
which the home page reads for "questions waiting for an answer" on their themes. Safe to run again.
"""

import sqlalchemy as sa

from hub.communities.models import MEMBER, Community, Membership
from hub.extensions import db

# (email, name, organisation slug, interface language, time zone, expertise, community slugs)
MEMBERS = [
    ("amara@example.org", "Amara Okafor", "naceco-nigeria", "en", "Africa/Lagos",
     "Education financing and budget tracking", ["budget-tracking", "educacao-emergencias"]),
    ("kwame@example.org", "Kwame Mensah", "ghana-edu-alliance", "en", "Africa/Accra",
     "Teachers' pay and teacher training", ["enseignants-au-coeur", "budget-tracking"]),
    ("selam@example.org", "Selam Tesfaye", "ethiopia-basic-ed", "en", "Africa/Addis_Ababa",
     "Girls' education, gender and early childhood", ["taalim-al-banat", "aprendizaje-digital"]),
    ("chanda@example.org", "Chanda Mwale", "ncea-zambia", "en", "Africa/Lusaka",
     "Inclusion of children with disabilities", ["educacion-inclusiva", "budget-tracking"]),
    ("aisha@example.org", "Aisha Nakato", "uganda-ed-network", "en", "Africa/Kampala",
     "Youth and adult learning; climate education", ["climate-education", "budget-tracking"]),
    ("sita@example.org", "Sita Gurung", "nce-nepal", "en", "Asia/Kathmandu",
     "Education in emergencies after earthquakes", ["educacao-emergencias", "climate-education"]),
    ("farah@example.org", "Farah Qureshi", "pakistan-coalition", "en", "Asia/Karachi",
     "Privatisation and low-fee private schools", ["privatisation-watch", "taalim-al-banat"]),
    ("dewi@example.org", "Dewi Lestari", "indonesia-jppi", "en", "Asia/Jakarta",
     "Digital learning and teachers", ["aprendizaje-digital", "climate-education"]),
    ("beatriz@example.org", "Beatriz Souza", "campanha-brasil", "pt", "America/Sao_Paulo",
     "Education financing and the right to education", ["budget-tracking", "educacion-inclusiva"]),
    ("mirlande@example.org", "Mirlande Joseph", "haiti-rept", "fr", "America/Port-au-Prince",
     "Education in emergencies and teachers", ["enseignants-au-coeur", "educacao-emergencias"]),
    ("carlos@example.org", "Carlos Mamani", "bolivia-campana", "es", "America/La_Paz",
     "Inclusion and intercultural bilingual education", ["educacion-inclusiva", "aprendizaje-digital"]),
    ("omar@example.org", "Omar Khalil", "palestine-coalition", "ar", "Asia/Hebron",
     "Education in emergencies and the right to education", ["taalim-al-banat", "educacao-emergencias"]),
    ("salma@example.org", "Salma Benali", "morocco-coalition", "fr", "Africa/Casablanca",
     "Gender equality and girls' education", ["taalim-al-banat", "enseignants-au-coeur"]),
    ("emma@example.org", "Emma Clarke", "campaign-uk", "en", "Europe/London",
     "SDG 4 monitoring and shadow reports", ["budget-tracking", "climate-education"]),
    ("jonas@example.org", "Jonas Weber", "bildung-deutschland", "en", "Europe/Berlin",
     "Aid to education and financing", ["budget-tracking", "privatisation-watch"]),
    ("yuki@example.org", "Yuki Tanaka", "japan-ngo-network", "en", "Asia/Tokyo",
     "Early childhood care and disaster education", ["climate-education", "aprendizaje-digital"]),
]


def join_communities(people: dict) -> None:
    """Make each extra member a member of their communities (leaving any other standing alone)."""
    slugs = {slug for *_, joined in MEMBERS for slug in joined}
    communities = {c.slug: c for c in db.session.scalars(sa.select(Community).where(Community.slug.in_(slugs)))}
    known = {(m.community_id, m.user_id) for m in db.session.scalars(
        sa.select(Membership).where(Membership.community_id.in_([c.id for c in communities.values()])))}
    for email, *_, joined in MEMBERS:
        person = people.get(email)
        for slug in joined:
            community = communities.get(slug)
            if person is not None and community is not None and (community.id, person.id) not in known:
                db.session.add(Membership(community_id=community.id, user_id=person.id, status=MEMBER))
    db.session.flush()
