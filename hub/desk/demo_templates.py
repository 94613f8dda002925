"""Demo reply templates, written in the five languages (one lacks Portuguese and Arabic on purpose:
the desk's template list flags it, and those readers receive English)."""

import sqlalchemy as sa

from hub.desk.models import ReplyTemplate
from hub.extensions import db

TEMPLATES = [
    ("hide", "Personal safety: a place or a person exposed", {
        "en": "Your post was hidden because it shared information that could put a person or an organisation at "
              "risk (for example a home address, a meeting place or a full name in a sensitive context). You are "
              "welcome to post again without those details.",
        "fr": "Votre message a été masqué car il contenait des informations qui pourraient mettre en danger une "
              "personne ou une organisation (par exemple une adresse, un lieu de réunion ou un nom complet dans un "
              "contexte sensible). Vous pouvez le publier à nouveau sans ces détails.",
        "es": "Ocultamos tu publicación porque contenía información que podría poner en riesgo a una persona o a "
              "una organización (por ejemplo, una dirección, un lugar de reunión o un nombre completo en un "
              "contexto delicado). Puedes publicarla de nuevo sin esos datos.",
        "pt": "A sua publicação foi ocultada porque continha informações que podem pôr em risco uma pessoa ou uma "
              "organização (por exemplo, uma morada, um local de encontro ou um nome completo num contexto "
              "sensível). Pode publicá-la novamente sem esses dados.",
        "ar": "أخفينا منشورك لأنه تضمّن معلومات قد تعرّض شخصًا أو منظمة للخطر (مثل عنوان سكن أو مكان اجتماع أو "
              "اسم كامل في سياق حساس). يمكنك نشره مجددًا من دون هذه التفاصيل.",
    }),
    ("revise", "Add sources and context", {
        "en": "Thank you for your post. Could you add where the figures come from (a report, a survey, a link) and "
              "which country or region they concern? Other coalitions can then build on it. Edit your post: it "
              "stays where it is.",
        "fr": "Merci pour votre message. Pourriez-vous préciser d'où viennent les chiffres (un rapport, une enquête, "
              "un lien) et quel pays ou quelle région ils concernent ? Les autres coalitions pourront ainsi s'en "
              "servir. Modifiez votre message : il reste à sa place.",
        "es": "Gracias por tu publicación. ¿Podrías indicar de dónde provienen las cifras (un informe, una encuesta, "
              "un enlace) y a qué país o región se refieren? Así otras coaliciones podrán aprovecharla. Edita tu "
              "publicación: seguirá en el mismo lugar.",
        "pt": "Obrigado pela sua publicação. Poderia indicar de onde vêm os números (um relatório, um inquérito, uma "
              "ligação) e a que país ou região se referem? Assim, outras coligações poderão aproveitá-la. Edite a "
              "publicação: ela permanece no mesmo lugar.",
        "ar": "شكرًا على منشورك. هل يمكنك أن توضّح مصدر الأرقام (تقرير أو استطلاع أو رابط) والبلد أو المنطقة التي "
              "تخصّها؟ بذلك تستطيع الائتلافات الأخرى الاستفادة منه. عدّل منشورك وسيبقى في مكانه.",
    }),
    ("decline", "No link to a member organisation", {
        "en": "Thank you for your interest in the Learning Hub. The hub is open to the staff and members of the "
              "movement's coalitions and partner organisations, and we could not confirm your link to one of them. "
              "If we are mistaken, reply with the name of your organisation and of a contact person there.",
        "fr": "Merci de votre intérêt pour le Learning Hub. La plateforme est ouverte au personnel et aux membres "
              "des coalitions du mouvement et de leurs organisations partenaires, et nous n'avons pas pu confirmer "
              "votre lien avec l'une d'elles. Si nous nous trompons, répondez-nous en indiquant le nom de votre "
              "organisation et d'une personne de contact.",
        "es": "Gracias por tu interés en el Learning Hub. La plataforma está abierta al personal y a los miembros de "
              "las coaliciones del movimiento y de sus organizaciones aliadas, y no pudimos confirmar tu vínculo "
              "con ninguna de ellas. Si nos equivocamos, respóndenos con el nombre de tu organización y de una "
              "persona de contacto.",
        "pt": "Obrigado pelo seu interesse no Learning Hub. A plataforma está aberta a funcionários e membros das "
              "coligações do movimento e das organizações parceiras, e não conseguimos confirmar a sua ligação a "
              "nenhuma delas. Se estivermos enganados, responda com o nome da sua organização e de uma pessoa de "
              "contacto.",
        "ar": "شكرًا لاهتمامك بمنصة Learning Hub. المنصة مفتوحة لموظفي ائتلافات الحركة وأعضائها وللمنظمات "
              "الشريكة، ولم نتمكن من التحقق من صلتك بأيٍّ منها. إن كنا مخطئين، فراسلنا باسم منظمتك واسم شخص يمكن "
              "التواصل معه فيها.",
    }),
    ("sanction", "Repeated personal attacks", {
        "en": "After several warnings, messages from your account kept attacking other members personally. The "
              "community guidelines ask everyone to discuss ideas, not people.",
        "fr": "Malgré plusieurs avertissements, des messages de votre compte ont continué à s'en prendre "
              "personnellement à d'autres membres. Les règles de la communauté demandent à chacun de débattre des "
              "idées, pas des personnes.",
        "es": "A pesar de varias advertencias, los mensajes de tu cuenta siguieron atacando personalmente a otros "
              "miembros. Las normas de la comunidad piden debatir ideas, no personas.",
        "pt": "Apesar de vários avisos, as mensagens da sua conta continuaram a atacar pessoalmente outros membros. "
              "As regras da comunidade pedem que se discutam ideias, não pessoas.",
        "ar": "رغم عدة تنبيهات، واصلت رسائل من حسابك مهاجمة أعضاء آخرين بشكل شخصي. تطلب قواعد المجتمع من الجميع "
              "مناقشة الأفكار لا الأشخاص.",
    }),
    ("reject", "Not about learning between coalitions", {
        "en": "Your post was not published because it is not about learning between education coalitions (for "
              "example a fundraising appeal or a political statement unrelated to education). You are welcome to "
              "post about your coalition's experience.",
        "fr": "Votre message n'a pas été publié car il ne porte pas sur l'apprentissage entre coalitions pour "
              "l'éducation (par exemple un appel aux dons ou une déclaration politique sans lien avec l'éducation). "
              "N'hésitez pas à partager l'expérience de votre coalition.",
        "es": "Tu publicación no se publicó porque no trata del aprendizaje entre coaliciones por la educación (por "
              "ejemplo, una campaña de recaudación o una declaración política sin relación con la educación). Te "
              "invitamos a compartir la experiencia de tu coalición.",
        "pt": "A sua publicação não foi publicada porque não trata da aprendizagem entre coligações pela educação "
              "(por exemplo, um apelo à angariação de fundos ou uma declaração política sem relação com a "
              "educação). Partilhe, se quiser, a experiência da sua coligação.",
        "ar": "لم يُنشر منشورك لأنه لا يتعلق بالتعلّم بين ائتلافات التعليم (مثل نداء لجمع التبرعات أو بيان سياسي "
              "لا صلة له بالتعليم). يسعدنا أن تشارك تجربة ائتلافك.",
    }),
    ("hide", "Commercial advertising", {
        "en": "Your post was hidden because it advertises a commercial product or service. The hub is for sharing "
              "experience between coalitions: you are welcome to tell what your organisation learned instead.",
        "fr": "Votre message a été masqué car il fait la publicité d'un produit ou d'un service commercial. La "
              "plateforme sert à partager l'expérience entre coalitions : racontez plutôt ce que votre organisation "
              "a appris.",
        "es": "Ocultamos tu publicación porque promociona un producto o servicio comercial. La plataforma sirve para "
              "compartir experiencias entre coaliciones: te invitamos a contar, en su lugar, lo que aprendió tu "
              "organización.",
    }),
]


def load() -> int:
    """Add the demo templates that are not there yet (by name); how many were added."""
    known = set(db.session.scalars(sa.select(ReplyTemplate.name)))
    added = 0
    for purpose, name, texts in TEMPLATES:
        if name not in known:
            db.session.add(ReplyTemplate(purpose=purpose, name=name, texts=texts))
            added += 1
    db.session.flush()
    return added
