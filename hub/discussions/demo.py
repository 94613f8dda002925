"""Demo discussions in the five hub languages: questions with answers, a best practice, and one long thread.

load(people, communities) is called by `flask --app hub demo load` after the communities; it creates
nothing twice (a discussion whose title exists is left alone). The demo's people are established
members: their posts skip pre-moderation (review=False).
"""

import sqlalchemy as sa

from hub.communities.models import MEMBER, Membership
from hub.discussions import services, unread
from hub.discussions.models import Discussion
from hub.extensions import db

SEC, FAC, LUCIA, CLAIRE = "secretariat@example.org", "facilitator@example.org", "member@example.org", "focal@example.org"
MOUSSA, LAYLA, JOAO, RAHIM = "moussa@example.org", "layla@example.org", "joao@example.org", "rahim@example.org"
AMARA, KWAME, SELAM, SITA = "amara@example.org", "kwame@example.org", "selam@example.org", "sita@example.org"
BEATRIZ, CARLOS, OMAR, SALMA = "beatriz@example.org", "carlos@example.org", "omar@example.org", "salma@example.org"
EMMA, JONAS, DEWI = "emma@example.org", "jonas@example.org", "dewi@example.org"
LONG_TITLE = "Weekly check-in: what did your coalition do for education this week?"

# (language, kind, author, title, body, themes, [(author, reply)], index of the answer or None, best practice)
DISCUSSIONS = [
    ("en", "question", FAC, "How do you prepare a shadow report on SDG 4?",
     "Our coalition will write its first **shadow report** for the national SDG 4 review. "
     "Where do you find reliable data on out-of-school children, and how long did it take you?",
     ["sdg4_monitoring"],
     [(RAHIM, "We started eight months before the review and used the UIS database plus our own survey "
              "of 40 schools. The survey mattered most: officials could not dismiss it."),
      (SEC, "The secretariat has a template from last year's reports; ask us and we will share it."),
      (LAYLA, "Plan a validation meeting with teachers' unions before you publish; it made our report stronger.")],
     0, None),
    ("en", "discussion", RAHIM, "Budget tracking with district education offices",
     "In Bangladesh we compared the approved budget with what actually reached 120 primary schools. "
     "About a fifth of the funds for textbooks arrived after the school year had started.",
     ["financing"],
     [(FAC, "We found the same delay in Kenya. Publishing the dates each school received its funds got "
            "the ministry to change the disbursement calendar."),
      (JOAO, "Did you work with parents' committees to collect the receipts?")],
     None,
     "Track money school by school: compare the approved budget with the date and amount each school "
     "received, publish the gaps, and bring them to the district office with parents' committees."),
    ("fr", "question", CLAIRE, "Comment mobiliser les parlementaires sur le financement de l'éducation ?",
     "Nous préparons une campagne avant le vote de la loi de finances. Quelles actions ont fonctionné "
     "chez vous pour convaincre les députés d'augmenter la part du budget consacrée à l'éducation ?",
     ["financing", "right_to_education"],
     [(MOUSSA, "Au Sénégal, nous avons organisé des visites d'écoles avec les députés de chaque région. "
               "Voir une classe de 90 élèves a plus convaincu que nos notes techniques."),
      (CLAIRE, "Merci ! Avez-vous préparé une fiche d'une page par circonscription ?"),
      (MOUSSA, "Oui, avec le nombre d'enseignants manquants et le coût de leur recrutement.")],
     0, None),
    ("fr", "discussion", MOUSSA, "Les enseignants contractuels et la qualité de l'éducation",
     "Dans plusieurs pays, la part d'enseignants contractuels dépasse 40 %. Partageons nos données "
     "et nos arguments pour une formation initiale de qualité pour toutes et tous.",
     ["teachers"],
     [(CLAIRE, "Les syndicats d'enseignants sont des alliés essentiels : impliquez-les dès le début.")],
     None, None),
    ("es", "question", LUCIA, "¿Cómo documentar el cobro de cuotas en escuelas públicas?",
     "En Perú muchas familias pagan cuotas «voluntarias» para matricular a sus hijos. "
     "¿Qué metodología usaron para documentar estos cobros sin exponer a las familias?",
     ["privatisation", "right_to_education"],
     [(JOAO, "Usamos encuestas anónimas por SMS y luego grupos focales con madres y padres."),
      (FAC, "Guarden las respuestas sin nombres ni números de teléfono; así protegen a las familias.")],
     0, None),
    ("es", "discussion", LUCIA, "Educación inclusiva: datos sobre niñas y niños con discapacidad",
     "Los registros oficiales subestiman cuántos niños con discapacidad están fuera de la escuela. "
     "Proponemos usar las preguntas del Grupo de Washington en nuestras encuestas.",
     ["inclusion"], [(RAHIM, "Lo hicimos en 2023 y la cifra se triplicó respecto al dato oficial.")], None, None),
    ("pt", "question", JOAO, "Como envolver os jovens na campanha pela educação?",
     "Em Moçambique queremos que os estudantes do secundário participem na nossa campanha. "
     "Que formatos funcionaram para vocês: rádio comunitária, redes sociais, debates nas escolas?",
     ["youth_adult_learning"],
     [(LUCIA, "Os debates nas escolas, preparados pelos próprios estudantes, deram os melhores resultados."),
      (JOAO, "Obrigado! Vamos experimentar com três escolas em Maputo.")],
     0, None),
    ("pt", "discussion", JOAO, "Educação em situações de emergência após os ciclones",
     "Depois dos ciclones, muitas escolas ficaram sem telhado durante meses. Partilhamos aqui o que "
     "aprendemos sobre espaços temporários de aprendizagem.",
     ["emergencies", "climate"], [(LAYLA, "No Líbano, as escolas em dois turnos ajudaram, mas cansam os professores.")],
     None, None),
    ("ar", "question", LAYLA, "كيف نضمن استمرار تعليم الأطفال اللاجئين؟",
     "يعيش في لبنان عدد كبير من الأطفال اللاجئين خارج المدرسة. ما هي السياسات التي نجحت في بلدانكم "
     "لتسجيلهم في المدارس الرسمية وضمان بقائهم فيها؟",
     ["emergencies", "right_to_education"],
     [(SEC, "الشهادات المعادلة ومرونة الوثائق المطلوبة للتسجيل كانت حاسمة في عدة بلدان."),
      (LAYLA, "شكراً، سنعرض هذه التجارب على وزارة التربية الشهر المقبل.")],
     0, None),
    ("ar", "discussion", LAYLA, "تمويل التعليم العام في زمن الأزمات الاقتصادية",
     "مع انهيار العملة، فقد المعلمون جزءاً كبيراً من رواتبهم. كيف تدافع تحالفاتكم عن ميزانية التعليم "
     "عندما تتقلص الموارد العامة؟",
     ["financing", "teachers"], [(MOUSSA, "نحن نطالب بحماية رواتب المعلمين كأولوية في كل ميزانية.")], None, None),
    ("en", "question", AMARA, "Which tools do you use to show school-level budget data?",
     "We have spending data for 300 schools in Lagos State. Spreadsheets lose our readers: what worked "
     "for you to show it to journalists and parents?", ["financing"],
     [(BEATRIZ, "A map with one dot per school, coloured by how late the funds arrived. People look for their own school."),
      (JONAS, "Keep a one-page table for officials next to the map; they trust numbers they can check.")],
     0, None),
    ("fr", "discussion", SALMA, "Garder les filles au collège : bourses ou cantines ?",
     "Au Maroc, les bourses conditionnelles ont réduit l'abandon des filles en zone rurale, mais les "
     "cantines scolaires semblent aussi efficaces. Quelles données avez-vous ?", ["gender"],
     [(SELAM, "En Éthiopie, les cantines ont surtout aidé les plus jeunes ; pour le collège, le transport comptait plus."),
      (OMAR, "نفس التجربة لدينا: المسافة إلى المدرسة هي السبب الأول لانقطاع الفتيات.")],
     None,
     "Ask girls and their families why they leave before choosing a measure: where distance was the reason, "
     "transport kept girls in school better than grants or meals."),
    ("en", "discussion", EMMA, "A shadow report timeline that worked",
     "Our last shadow report reached the minister because we started a year ahead. Here is our calendar, "
     "month by month, from data collection to the validation meeting.", ["sdg4_monitoring"],
     [(FAC, "Twelve months is right: our first report, rushed in four, was ignored."),
      (KWAME, "We added a month for translation into local languages; the unions used it widely.")],
     None,
     "Start twelve months before the national review: six months of data collection, a validation meeting "
     "with teachers' unions, and a month to translate the summary."),
    ("es", "question", CARLOS, "¿Materiales en lenguas indígenas para estudiantes con discapacidad?",
     "Buscamos guías en quechua o aimara adaptadas para estudiantes con discapacidad visual o auditiva. "
     "¿Alguien conoce materiales o experiencias?", ["inclusion"], [], None, None),
    ("en", "question", SITA, "Temporary learning spaces: how many hours a day?",
     "After the floods, our temporary classrooms run in two shifts of three hours. Is that enough to keep "
     "children learning? What did other coalitions ask the ministry for?", ["emergencies"], [], None, None),
    ("pt", "question", BEATRIZ, "Piso salarial dos professores: como monitorar o cumprimento?",
     "No Brasil, muitos municípios não pagam o piso salarial nacional. Como vocês acompanham o que cada "
     "município paga aos professores?", ["teachers", "financing"], [], None, None),
    ("ar", "discussion", OMAR, "التعليم عن بعد أثناء النزاع",
     "عندما أغلقت المدارس، استخدمنا الرسائل النصية والإذاعة للوصول إلى الطلاب. نشارك هنا ما نجح وما لم ينجح.",
     ["emergencies", "digital"],
     [(DEWI, "In Indonesia, printed weekly packs reached more children than any app."),
      (LAYLA, "الإذاعة المحلية كانت الأكثر فعالية في لبنان أيضاً.")],
     None, None),
]

CHECK_INS = [
    "We met the education committee of parliament and presented our budget analysis.",
    "Nous avons formé vingt membres de comités de parents à la lecture du budget scolaire.",
    "Publicamos un informe sobre las cuotas escolares y lo presentamos a la prensa.",
    "Realizámos um programa de rádio sobre o direito à educação das raparigas.",
    "نظمنا ورشة عمل للمعلمين حول التعليم الدامج للأطفال ذوي الإعاقة.",
    "Our youth network collected 3,000 signatures for free secondary education.",
    "Nous avons rencontré le ministère pour discuter du recrutement des enseignants.",
    "Visitamos escuelas rurales para documentar la falta de docentes.",
]


def load(people: dict, communities) -> int:
    """Create the demo discussions (skipping those already there); returns how many were created."""
    open_ones = [c for c in (communities.values() if isinstance(communities, dict) else communities or [])
                 if c.status == "active" and not c.is_deleted]
    if not open_ones:
        return 0
    ordered = sorted(open_ones, key=lambda c: (c.visibility != "public", c.id or 0))
    created = 0
    for n, entry in enumerate(DISCUSSIONS):
        # The best practice goes to a public community, so every visitor can find it.
        community = ordered[0] if entry[-1] else ordered[n % len(ordered)]
        created += _load_one(people, community, *entry)
    created += _load_long_thread(people, ordered[0])
    db.session.flush()
    return created


def _exists(title: str) -> bool:
    return db.session.scalar(sa.select(Discussion.id).where(Discussion.title == title)) is not None


def _member(user, community) -> bool:
    """Make the demo person a member unless they already have a standing there; True if a member."""
    status = db.session.scalar(sa.select(Membership.status).where(Membership.community_id == community.id,
                                                                  Membership.user_id == user.id))
    if status is None:
        db.session.add(Membership(community_id=community.id, user_id=user.id, status=MEMBER))
        db.session.flush()
    return status in (None, MEMBER)


def _load_one(people, community, language, kind, author, title, body, themes, replies, answer, summary) -> int:
    if _exists(title):
        return 0
    _member(people[author], community)
    discussion = services.start_discussion(community, people[author], {
        "title": title, "body": body, "language": language, "themes": themes, "kind": kind}, review=False)
    posted = []
    for who, text in replies:
        if not _member(people[who], community):
            continue  # someone still waiting to join does not post there
        posted.append(services.add_reply(discussion, people[who], text, review=False))
    if answer is not None and answer < len(posted):
        services.toggle_answer(discussion, posted[answer])
    if summary:
        services.mark_best_practice(discussion, people[SEC], summary)
    return 1


def _load_long_thread(people, community) -> int:
    """One discussion with 200 replies, to page through and to measure."""
    if _exists(LONG_TITLE):
        return 0
    authors = [person for person in people.values() if _member(person, community)]
    discussion = services.start_discussion(community, people[FAC], {
        "title": LONG_TITLE, "body": "Share one thing, big or small, that your coalition did this week.",
        "language": "en", "themes": ["right_to_education"], "kind": "discussion"}, review=False)
    discussion.is_pinned = True
    replies = [services.add_reply(discussion, authors[i % len(authors)], f"{CHECK_INS[i % len(CHECK_INS)]} (#{i + 1})",
                                  review=False) for i in range(200)]
    db.session.flush()
    for reader in (FAC, LUCIA):  # they stopped reading a dozen replies ago: the list says "N new"
        unread.mark_read(people[reader], discussion, [replies[-13].id])
    return 1
