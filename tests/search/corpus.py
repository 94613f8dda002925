"""A fixed multilingual corpus (en, fr, es, pt, ar) and labelled queries with their expected results.

Refs name objects: org-*, person-*, community-*, discussion-*. Each query lists the refs a reader
would want in the top five (the first is the best answer).
"""

from hub.accounts.models import ACTIVE, SUSPENDED, User
from hub.communities.models import MEMBER, Community, Membership
from hub.db import utcnow
from hub.discussions import services as discussions
from hub.extensions import db
from hub.organisations.services import create_organisation

ORGANISATIONS = [
    ("org-cosydep", "Coalition des Organisations en Synergie pour la Défense de l'Éducation Publique", "COSYDEP", "SN",
     ["fr"], "Plaidoyer pour l'éducation des filles et le financement de l'école publique au Sénégal."),
    ("org-cpde", "Campaña Peruana por el Derecho a la Educación", "CPDE", "PE", ["es"],
     "Defendemos la educación pública gratuita y la formación de docentes en las regiones andinas."),
    ("org-mept", "Movimento de Educação para Todos", "MEPT", "MZ", ["pt"],
     "Promovemos a educação inclusiva e a alfabetização de adultos em todo o país."),
    ("org-acea", "الحملة العربية للتعليم للجميع", "ACEA", "LB", ["ar"],
     "نعمل من أجل حق التعليم للأطفال اللاجئين وتمويل المدارس العامة."),
    ("org-campe", "Campaign for Popular Education", "CAMPE", "BD", ["en"],
     "Coalition working on early childhood education, teacher training and school meals."),
    ("org-eyc", "Elimu Yetu Coalition", "EYC", "KE", ["en"],
     "Kenyan civil society coalition on education financing and budget tracking."),
    ("org-solidarite", "Solidarité Laïque", "", "FR", ["fr"],
     "Réseau d'associations pour l'accès à une éducation de qualité et la lutte contre les inégalités."),
    ("org-ice", "Incidencia Civil en la Educación", "ICE", "MX", ["es"],
     "Monitoreo de políticas educativas, presupuesto y rendición de cuentas."),
    ("org-cnde", "Campanha Nacional pelo Direito à Educação", "CNDE", "BR", ["pt"],
     "Rede de mobilização pelo financiamento da educação pública e valorização dos professores."),
    ("org-maroc", "الائتلاف المغربي للتعليم للجميع", "", "MA", ["ar"],
     "تحسين جودة التعليم الأساسي ومحو الأمية في المناطق القروية."),
]

PEOPLE = [
    ("person-aissatou", "Aïssatou Ndiaye", "org-cosydep", "Genre et éducation des filles, plaidoyer budgétaire"),
    ("person-jose", "José Quispe Mamani", "org-cpde", "Formación docente, educación intercultural bilingüe"),
    ("person-graca", "Graça Tembe", "org-mept", "Alfabetização de adultos e educação não formal"),
    ("person-layla", "Layla Haddad", "org-acea", "التعليم في حالات الطوارئ وتعليم اللاجئين"),
    ("person-rashida", "Rashida Begum", "org-campe", "Early childhood development, teacher professional development"),
    ("person-otieno", "Otieno Wafula", "org-eyc", "Public finance, education budget analysis, tax justice"),
    ("person-francois", "François Lefèvre", "org-solidarite", "Évaluation des apprentissages, inégalités scolaires"),
    ("person-conceicao", "Conceição Araújo", "org-cnde", "Financiamento da educação, valorização docente"),
    ("person-mohammed", "محمد العلوي", "org-maroc", "محو الأمية وتعليم الكبار"),
]

#: Never in results: a suspended and a pending person with words that would otherwise match.
HIDDEN_PEOPLE = [
    ("person-suspended", "Sami Suspended", "org-eyc", "education budget analysis", SUSPENDED),
    ("person-pending", "Paula Pending", "org-eyc", "education budget analysis", "pending"),
]

COMMUNITIES = [
    ("community-filles", "Éducation des filles en Afrique de l'Ouest", "public", ["fr"], ["gender"], "africa",
     "Échanges entre coalitions sur la scolarisation des filles, les mariages précoces et les bourses."),
    ("community-financiamiento", "Financiamiento de la educación", "public", ["es"], ["financing"], "latin_america",
     "Comunidad sobre presupuestos educativos, impuestos justos y deuda en América Latina."),
    ("community-inclusiva", "Educação inclusiva e deficiência", "members", ["pt"], ["inclusion"], "africa",
     "Partilha de práticas sobre escolas inclusivas para crianças com deficiência."),
    ("community-emergencies", "التعليم في حالات الطوارئ", "public", ["ar"], ["emergencies"], "mena",
     "مجتمع لتبادل الخبرات حول تعليم الأطفال اللاجئين والنازحين في المدارس."),
    ("community-teachers", "Teachers and the teaching profession", "public", ["en"], ["teachers"], "asia_pacific",
     "Working conditions, salaries and professional development of teachers."),
    ("community-private", "Strategy room", "private", ["en"], ["privatisation"], None,
     "Confidential planning of the budget advocacy campaign against privatisation."),
    ("community-climate", "Climate education and green schools", "public", ["en"], ["climate"], None,
     "Integrating climate change into curricula; school gardens."),
]

DISCUSSIONS = [
    ("discussion-bourses", "community-filles", "Bourses scolaires pour les filles", "fr",
     "Quelles expériences avec les bourses pour garder les filles à l'école secondaire ?",
     ["Au Niger, les transferts monétaires ont réduit l'abandon scolaire.",
      "We saw the same with cash transfers in Ghana."]),
    ("discussion-impuestos", "community-financiamiento", "Impuestos y presupuesto educativo", "es",
     "¿Cómo usar el análisis presupuestario para exigir más recursos para la educación?",
     ["En Perú usamos el seguimiento del gasto público por región."]),
    ("discussion-surdas", "community-inclusiva", "Crianças surdas na escola", "pt",
     "Como garantir intérpretes de língua gestual nas escolas públicas?", []),
    ("discussion-lajiin", "community-emergencies", "مدارس اللاجئين في لبنان", "ar",
     "كيف نضمن حصول الأطفال اللاجئين على التعليم الجيد؟", ["تجربتنا مع المعلمين المتطوعين كانت ناجحة"]),
    ("discussion-shortages", "community-teachers", "Teacher shortages in rural areas", "en",
     "How do coalitions advocate for incentives for teachers in remote schools?",
     ["In Bangladesh we pushed for housing allowances.", "Au Sénégal, les enseignants contractuels manquent."]),
    ("discussion-secret", "community-private", "Secret budget strategy", "en",
     "Our confidential plan against school privatisation.", []),
    ("discussion-elearning", "community-climate", "E-learning during school closures", "en",
     "Lessons on e-learning and radio schools during the pandemic; c++ coding clubs too.",
     ["La radio éducative a bien marché au Burkina Faso."]),
    ("discussion-ninas", "community-financiamiento", "Educación de las niñas indígenas", "es",
     "Barreras para la educación de niñas indígenas en zonas rurales.", []),
    # For the suggestion set: `braille` is rarer than `brasil`, `الإنفاق` is only written `والإنفاق`.
    ("discussion-braille", "community-inclusiva", "Livros em braille", "pt",
     "Como conseguir livros didáticos em braille para alunos cegos?",
     ["No Brasil, o governo distribui livros em braille."]),
    ("discussion-infaq", "community-emergencies", "الشفافية والإنفاق", "ar",
     "نراقب الشفافية والإنفاق العام كل سنة", []),
]

QUERIES = [
    ("éducation des filles", ["community-filles", "discussion-bourses", "person-aissatou", "org-cosydep"]),
    ("education filles", ["community-filles", "discussion-bourses", "person-aissatou", "org-cosydep"]),
    ("EDUCATION DES FILLES", ["community-filles", "discussion-bourses", "person-aissatou", "org-cosydep"]),
    ("educación niñas", ["discussion-ninas"]),
    ("niñas indígenas", ["discussion-ninas"]),
    ("ninas indigenas", ["discussion-ninas"]),
    ("enseignants", ["discussion-shortages"]),
    ("enseignant", ["discussion-shortages"]),
    ("teacher", ["community-teachers", "discussion-shortages", "person-rashida", "org-campe"]),
    ("teachers salaries", ["community-teachers"]),
    ("teachers enseignants", ["discussion-shortages", "community-teachers"]),
    ("formación docente", ["person-jose", "org-cpde"]),
    ("docentes", ["org-cpde", "person-jose", "person-conceicao"]),
    ("alfabetização", ["person-graca", "org-mept"]),
    ("alfabetizacao de adultos", ["person-graca", "org-mept"]),
    ("educação inclusiva", ["community-inclusiva", "org-mept"]),
    ("educacao inclusiva", ["community-inclusiva", "org-mept"]),
    ("escuelas inclusivas", ["community-inclusiva", "org-mept"]),
    ("deficiência", ["community-inclusiva"]),
    ("crianças surdas", ["discussion-surdas"]),
    ("التعليم في حالات الطوارئ", ["community-emergencies", "person-layla"]),
    ("تعليم اللاجئين", ["person-layla", "discussion-lajiin", "community-emergencies", "org-acea"]),
    ("اللاجئين", ["discussion-lajiin", "person-layla", "community-emergencies", "org-acea"]),
    ("مدارس", ["discussion-lajiin", "community-emergencies", "org-acea"]),
    ("محو الامية", ["person-mohammed", "org-maroc"]),
    ("مَحْوُ الأُمِّيَّة", ["person-mohammed", "org-maroc"]),
    ("تعليم الكبار", ["person-mohammed"]),
    ("COSYDEP", ["org-cosydep"]),
    ("cosydep", ["org-cosydep"]),
    ("Campaign for Popular Education", ["org-campe"]),
    ("Elimu Yetu", ["org-eyc"]),
    ("Aïssatou", ["person-aissatou"]),
    ("aissatou ndiaye", ["person-aissatou"]),
    ("Quispe", ["person-jose"]),
    ("Lefevre", ["person-francois"]),
    ("Conceicao Araujo", ["person-conceicao"]),
    ("education budget", ["person-otieno", "org-eyc"]),
    ("presupuesto educativo", ["discussion-impuestos", "community-financiamiento", "org-ice"]),
    ("financiamento da educação", ["person-conceicao", "org-cnde", "community-financiamiento"]),
    ("cash transfers", ["discussion-bourses"]),
    ('"cash transfers"', ["discussion-bourses"]),
    ("transferts monétaires", ["discussion-bourses"]),
    ("e-learning", ["discussion-elearning"]),
    ("c++", ["discussion-elearning"]),
    ("radio éducative", ["discussion-elearning"]),
    ("climate change curricula", ["community-climate"]),
    ("green schools", ["community-climate"]),
    ("Teacher shortages", ["discussion-shortages"]),
    ("educaton filles", ["community-filles", "discussion-bourses"]),
    ("techers", ["community-teachers", "discussion-shortages"]),
    ("alfabetisacao", ["person-graca", "org-mept"]),
    ("Mozambique", ["org-mept"]),
    ("Moçambique", ["org-mept"]),
    ("Sénégal", ["org-cosydep"]),
    ("Pérou", ["org-cpde"]),
    ("السنغال", ["org-cosydep"]),
    ("Líbano", ["org-acea"]),
    # Translations of the movement's words (hub/search/glossary.py), where no stem is shared:
    ("girls education", ["community-filles", "discussion-bourses", "discussion-ninas", "person-aissatou",
                         "org-cosydep"]),
    ("meninas", ["discussion-ninas", "community-filles", "discussion-bourses"]),
    ("الفتيات", ["community-filles", "discussion-bourses", "discussion-ninas"]),
    ("professores", ["org-cnde", "community-teachers", "discussion-shortages"]),
    ("refugees", ["discussion-lajiin", "community-emergencies", "person-layla", "org-acea"]),
    ("presupuesto", ["discussion-impuestos", "community-financiamiento", "org-ice", "org-eyc", "person-otieno"]),
    ("المعلمين", ["discussion-lajiin", "community-teachers", "discussion-shortages"]),
    ("escuelas rurales", ["discussion-ninas", "discussion-shortages"]),
    ("livros braille", ["discussion-braille"]),
    ("الإنفاق", ["discussion-infaq"]),
]

#: "Did you mean" for a signed-in reader of public and members' communities: (query, suggestion or None).
#: Fewest edits first, then the most frequent; words as people write them, never stems; no suggestion
#: when the query as typed already finds something after analysis, or when only private text is close.
SUGGESTIONS = [
    ("techers", "teachers"),
    ("braile", "braille"),                # not the commoner `brasil`, two edits away
    ("livros braile", "livros braille"),
    ("educaton filles", None),            # `filles` finds enough on its own: no suggestion over 3 results
    ("alfabetisacao", "alfabetização"),   # written as in the text, accents and all
    ("climat", None),                     # a stem of `climate`: it matched as typed
    ("teaching", None),
    ("enseignant", None),
    ("الإنفاق", None),                    # indexed only inside والإنفاق: matched after analysis
    ("الشفافبة", "الشفافية"),             # the word as written, never the stem شفافي
    ("privatizasion", None),              # only in a private community the reader is not in
    ("confidentail", None),
    ("xqzvwk", None),
]


def build(creator_email="corpus-author@example.org") -> dict[str, object]:
    """Create the corpus in the database (committed); returns refs → objects."""
    objects = {}
    for ref, name, acronym, country, languages, description in ORGANISATIONS:
        objects[ref] = create_organisation(name, country, acronym=acronym, working_languages=languages,
                                           description=description)
    author = User(email=creator_email, name="Corpus Author", organisation=objects["org-eyc"], status=ACTIVE,
                  email_verified_at=utcnow(), password_hash="x")
    db.session.add(author)
    rows = [(*row, ACTIVE) for row in PEOPLE] + HIDDEN_PEOPLE
    for n, (ref, name, org_ref, expertise, status) in enumerate(rows):
        objects[ref] = User(email=f"corpus{n}@example.org", name=name, organisation=objects[org_ref],
                            expertise=expertise, status=status, email_verified_at=utcnow(), password_hash="x")
        db.session.add(objects[ref])
    for ref, title, visibility, languages, themes, region, description in COMMUNITIES:
        objects[ref] = Community(slug=ref, title=title, visibility=visibility, languages=languages, themes=themes,
                                 region=region, description=description)
        db.session.add(objects[ref])
        db.session.add(Membership(community=objects[ref], user=author, status=MEMBER, is_facilitator=True))
    db.session.flush()
    for ref, community_ref, title, language, body, replies in DISCUSSIONS:
        discussion = discussions.start_discussion(objects[community_ref], author,
                                                  {"title": title, "body": body, "language": language})
        for reply in replies:
            discussions.add_reply(discussion, author, reply)
        objects[ref] = discussion
    objects["author"] = author
    db.session.commit()
    return objects


def key_of(obj) -> str:
    """The index key of a corpus object."""
    kind = {"Organisation": "organisation", "User": "person", "Community": "community",
            "Discussion": "discussion"}[type(obj).__name__]
    return f"{kind}:{obj.id}"
