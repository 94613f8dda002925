"""The movement's shared words in the hub's five languages, so a word finds its translations where
stems cannot: `filles` finds `girls`, `niñas`, `meninas`, `raparigas` and `الفتيات`.

Applied to queries only (the index is untouched, so a new group needs no reindex). A word is matched
by its folded form (Arabic: normalised and lightly stemmed, as the index stores it), never by a
stem, so `fill` is not taken for `filles`. Each group lists singular and plural forms.
"""

import re
from functools import lru_cache

from hub.search.analysis import WORD, fold, is_arabic, normalise_arabic, stem_arabic

#: One concept a line: English, French, Spanish, Portuguese, then Arabic.
GROUPS = (
    "girls girl | filles fille | niñas niña | meninas menina raparigas rapariga | الفتيات فتيات البنات بنات",
    "women woman | femmes femme | mujeres mujer | mulheres mulher | النساء المرأة",
    "children child | enfants enfant | niños niño | crianças criança | الأطفال أطفال طفل",
    "teachers teacher | enseignants enseignant enseignantes enseignante | docentes docente maestros maestro "
    "maestras maestra profesores profesor | professores professor professoras professora | المعلمين المعلمون "
    "المعلمات معلم معلمين",
    "school schools | école écoles | escuela escuelas | escola escolas | المدرسة المدارس مدرسة مدارس",
    "students student pupils pupil learners learner | élèves élève étudiants étudiant | estudiantes estudiante "
    "alumnos alumno | alunos aluno estudantes estudante | الطلاب طلاب التلاميذ تلاميذ",
    "budget budgets | budget budgets | presupuesto presupuestos | orçamento orçamentos | الميزانية ميزانية "
    "الموازنة موازنة",
    "financing funding | financement | financiamiento financiación | financiamento | التمويل تمويل",
    "tax taxes taxation | impôt impôts fiscalité | impuesto impuestos | imposto impostos | الضرائب ضريبة",
    "disability disabilities | handicap handicaps | discapacidad | deficiência deficiências | الإعاقة إعاقة",
    "refugees refugee | réfugiés réfugié | refugiados refugiado | refugiados refugiado | اللاجئين اللاجئون لاجئين",
    "emergencies emergency crisis crises | urgences urgence crise crises | emergencias emergencia crisis | "
    "emergências emergência crise crises | الطوارئ الأزمات أزمة",
    "literacy | alphabétisation | alfabetización | alfabetização | الأمية",
    "childhood | enfance | infancia | infância | الطفولة",
    "youth | jeunes jeunesse | jóvenes juventud | jovens juventude | الشباب",
    "adults adult | adultes adulte | adultos adulto | adultos adulto | الكبار",
    "rights right | droits droit | derechos derecho | direitos direito | الحقوق الحق",
    "advocacy | plaidoyer | incidencia | incidência advocacia | المناصرة مناصرة",
    "learning | apprentissage apprentissages | aprendizaje aprendizajes | aprendizagem aprendizagens | التعلم",
    "training | formation formations | formación capacitación | formação capacitação | التدريب تدريب",
    "curriculum curricula | curriculum | currículo currículos | currículo currículos | المنهج المناهج",
    "assessment assessments | évaluation évaluations | evaluación evaluaciones | avaliação avaliações | التقييم",
    "government governments | gouvernement gouvernements | gobierno gobiernos | governo governos | الحكومة "
    "الحكومات",
    "parliament parliamentarians | parlement parlementaires | parlamento parlamentarios | parlamento "
    "parlamentares | البرلمان البرلمانيين",
    "report reports | rapport rapports | informe informes | relatório relatórios | التقرير التقارير",
    "gender | genre | género | género gênero | الجندر",
    "privatisation privatization | privatisation | privatización | privatização | الخصخصة",
    "salaries salary wages | salaires salaire | salarios salario sueldos | salários salário | الرواتب رواتب",
    "scholarships scholarship bursaries | bourses bourse | becas beca | bolsas bolsa | المنح منحة",
    "climate | climat | clima | clima | المناخ",
    "inclusive inclusion | inclusive inclusif inclusion | inclusiva inclusivo inclusión | inclusiva inclusivo "
    "inclusão | الدامج الدمج",
    "quality | qualité | calidad | qualidade | الجودة",
    "education | éducation | educación | educação | التعليم تعليم",
)


def key(word: str) -> str:
    """The form a word is looked up by: folded; Arabic normalised and lightly stemmed."""
    return stem_arabic(normalise_arabic(word)) if is_arabic(word) else fold(word)


@lru_cache(maxsize=1)
def _groups() -> dict[str, tuple[str, ...]]:
    found = {}
    for line in GROUPS:
        words = tuple(dict.fromkeys(line.replace("|", " ").split()))
        for word in words:
            found[key(word)] = words
    return found


def translations(text: str) -> tuple[str, ...]:
    """The other words of the groups that the words of `text` belong to (none: ())."""
    groups, own, found = _groups(), set(), []
    for word in re.findall(WORD, text.lower()):
        own.add(key(word))
        found.extend(groups.get(key(word), ()))
    return tuple(dict.fromkeys(word for word in found if key(word) not in own))
