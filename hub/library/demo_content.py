"""The demo library's items and captions (fictional)."""

CAPTIONS = {
    "en": ["Welcome to this learning session on education financing.",
           "Today three coalitions share how they track national budgets.",
           "Questions are welcome at the end."],
    "fr": ["Bienvenue à cette session d'apprentissage sur le financement de l'éducation.",
           "Aujourd'hui, trois coalitions expliquent comment elles suivent les budgets nationaux.",
           "Les questions sont les bienvenues à la fin."],
}

ITEMS = [
    {"slug": "demo-budget-tracking-session", "kind": "recording", "media": "video", "filename": "budget-session.mp4",
     "title": "Learning session: tracking education budgets", "owner": "facilitator@example.org",
     "community": "members", "languages": ["en", "fr"], "themes": ["financing", "sdg4_monitoring"],
     "regions": ["africa"], "countries": ["KE", "SN"], "session_date": "2026-09-17",
     "speakers": "Wanjiru Kamau, Moussa Ndiaye",
     "description": "How three coalitions follow the money: **budget briefs**, citizen hearings and "
                    "parliamentary questions."},
    {"slug": "demo-girls-education-podcast", "kind": "recording", "media": "audio", "filename": "podcast-ep1.ogg",
     "title": "Podcast: girls' education in rural Mozambique", "owner": "joao@example.org",
     "languages": ["pt"], "themes": ["gender"], "regions": ["africa"], "countries": ["MZ"],
     "session_date": "2026-06-03", "speakers": "João Macuácua", "is_public": True,
     "description": "Uma conversa sobre bolsas escolares e transporte seguro para raparigas."},
    {"slug": "demo-campaign-video", "kind": "video", "media": "video", "filename": "campaign.mp4",
     "title": "Vidéo de campagne : l'école publique pour toutes et tous", "owner": "focal@example.org",
     "community": "public", "languages": ["fr"], "themes": ["privatisation"], "regions": ["europe_north_america"],
     "countries": ["FR"], "licence": "cc-by-sa",
     "description": "Une courte vidéo pour la semaine mondiale d'action pour l'éducation."},
    {"slug": "demo-inclusion-checklist", "kind": "document", "filename": "inclusion-checklist.txt",
     "title": "Lista de verificación: escuelas inclusivas", "owner": "member@example.org",
     "languages": ["es"], "themes": ["inclusion"], "regions": ["latin_america"], "countries": ["PE"],
     "licence": "cc-by-nc", "is_public": True,
     "text": "Lista de verificación para escuelas inclusivas\n\n1. Accesibilidad física de las aulas.\n"
             "2. Materiales en formatos accesibles.\n3. Formación docente en educación inclusiva.\n",
     "description": "Una lista breve para visitas de monitoreo a escuelas."},
    {"slug": "demo-teachers-statement", "kind": "document", "filename": "teachers-statement.txt",
     "title": "بيان حول رواتب المعلمين", "owner": "layla@example.org", "community": "private",
     "languages": ["ar"], "themes": ["teachers"], "regions": ["mena"], "countries": ["LB"],
     "licence": "all-rights-reserved",
     "text": "بيان حول رواتب المعلمين في لبنان\n\nتطالب الشبكة بدفع رواتب المعلمين في موعدها.\n",
     "description": "بيان مشترك صادر عن الشبكة."},
    {"slug": "demo-gem-report-link", "kind": "link", "url": "https://www.unesco.org/gem-report/en",
     "title": "Global Education Monitoring Report", "owner": "secretariat@example.org",
     "languages": ["en", "fr", "es", "ar"], "themes": ["sdg4_monitoring"], "licence": "all-rights-reserved",
     "is_public": True, "description": "UNESCO's yearly report on progress towards SDG 4."},
]
