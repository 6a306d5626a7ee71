"""The text of Article 380-3 and of each of its parts, in English, Russian and Kazakh.

The English text is the translation in the seed (Law No. 252-VIII of 3 January 2026); the Russian and Kazakh
texts are this project's UNOFFICIAL renderings of it: the official texts are at adilet.zan.kz and prevail.
`legal.statute` puts them into the law's data.
"""

# The aggravating circumstances, as the even parts list them.
AGGRAVATING_CLAUSES = {
    "en": (
        "1) in relation to two or more persons;\n"
        "2) by a group of persons, a group of persons by prior agreement;\n"
        "3) repeatedly;\n"
        "4) in an emergency situation or during mass riots;\n"
        "5) in the area where a state of emergency has been declared, or in the area of the anti-terrorist "
        "operation, –"
    ),
    "ru": (
        "1) в отношении двух или более лиц;\n"
        "2) группой лиц, группой лиц по предварительному сговору;\n"
        "3) неоднократно;\n"
        "4) в условиях чрезвычайной ситуации или в ходе массовых беспорядков;\n"
        "5) в местности, где объявлено чрезвычайное положение, или в зоне проведения антитеррористической "
        "операции, –"
    ),
    "kk": (
        "1) екі немесе одан да көп адамға қатысты;\n"
        "2) адамдар тобы, алдын ала сөз байласқан адамдар тобы;\n"
        "3) бірнеше рет;\n"
        "4) төтенше жағдай жағдайларында немесе жаппай тәртіпсіздіктер барысында;\n"
        "5) төтенше жағдай жарияланған жерде немесе терроризмге қарсы операция жүргізу аймағында "
        "жасалса, –"
    ),
}


PART_TEXTS: dict[int, dict[str, str]] = {
    1: {
        "en": (
            "1. The threat of violence against a medical worker or an ambulance driver in the performance or "
            "in connection with the performance of his official or professional duties, or out of revenge for "
            "their performance – is punishable by a fine in the amount of two hundred to five hundred monthly "
            "calculation indices, or correctional labor in the same amount, or community service for up to "
            "three hundred hours, or restriction of liberty for up to two years, or imprisonment for the same "
            "term."
        ),
        "ru": (
            "1. Угроза применением насилия в отношении медицинского работника или водителя скорой медицинской "
            "помощи при исполнении или в связи с исполнением им служебных или профессиональных обязанностей "
            "либо из мести за их исполнение – наказывается штрафом в размере от двухсот до пятисот месячных "
            "расчетных показателей, либо исправительными работами в том же размере, либо привлечением к "
            "общественным работам на срок до трехсот часов, либо ограничением свободы на срок до двух лет, "
            "либо лишением свободы на тот же срок."
        ),
        "kk": (
            "1. Медицина қызметкеріне немесе жедел медициналық жәрдем жүргізушісіне қатысты оның қызметтік "
            "немесе кәсіптік міндеттерін орындауы кезінде немесе орындауына байланысты не оларды орындағаны "
            "үшін кек алу мақсатында күш қолданамын деп қорқыту – екі жүзден бес жүзге дейінгі айлық есептік "
            "көрсеткіш мөлшерінде айыппұл салуға не сол мөлшерде түзеу жұмыстарына, не үш жүз сағатқа "
            "дейінгі мерзімге қоғамдық жұмыстарға тартуға, не екі жылға дейінгі мерзімге бас бостандығын "
            "шектеуге, не сол мерзімге бас бостандығынан айыруға жазаланады."
        ),
    },
    2: {
        "en": (
            "2. The act provided for in the first part of this Article, committed:\n"
            + AGGRAVATING_CLAUSES["en"]
            + "\nis punishable by restriction of liberty for a term of two to three years or imprisonment for "
            "the same term."
        ),
        "ru": (
            "2. Деяние, предусмотренное частью первой настоящей статьи, совершенное:\n"
            + AGGRAVATING_CLAUSES["ru"]
            + "\nнаказывается ограничением свободы на срок от двух до трех лет либо лишением свободы на тот же "
            "срок."
        ),
        "kk": (
            "2. Осы баптың бірінші бөлігінде көзделген іс-әрекет:\n"
            + AGGRAVATING_CLAUSES["kk"]
            + "\nекі жылдан үш жылға дейінгі мерзімге бас бостандығын шектеуге не сол мерзімге бас "
            "бостандығынан айыруға жазаланады."
        ),
    },
    3: {
        "en": (
            "3. The use of violence that is not dangerous to life or health against persons and for the "
            "reasons specified in the first part of this article – is punishable by a fine in the amount of "
            "five hundred to one thousand monthly calculation indices, or correctional labor in the same "
            "amount, or community service for up to six hundred hours, or restriction of liberty for a term "
            "of two to three years, or imprisonment for the same term."
        ),
        "ru": (
            "3. Применение насилия, не опасного для жизни или здоровья, в отношении лиц и по мотивам, "
            "указанным в части первой настоящей статьи, – наказывается штрафом в размере от пятисот до одной "
            "тысячи месячных расчетных показателей, либо исправительными работами в том же размере, либо "
            "привлечением к общественным работам на срок до шестисот часов, либо ограничением свободы на срок "
            "от двух до трех лет, либо лишением свободы на тот же срок."
        ),
        "kk": (
            "3. Осы баптың бірінші бөлігінде көрсетілген адамдарға қатысты және сол себептер бойынша өмірге "
            "немесе денсаулыққа қауіпті емес күш қолдану – бес жүзден бір мың айлық есептік көрсеткішке "
            "дейінгі мөлшерде айыппұл салуға не сол мөлшерде түзеу жұмыстарына, не алты жүз сағатқа дейінгі "
            "мерзімге қоғамдық жұмыстарға тартуға, не екі жылдан үш жылға дейінгі мерзімге бас бостандығын "
            "шектеуге, не сол мерзімге бас бостандығынан айыруға жазаланады."
        ),
    },
    4: {
        "en": (
            "4. The act provided for in the third part of this Article, committed:\n"
            + AGGRAVATING_CLAUSES["en"]
            + "\nis punishable by restriction of liberty for a term of three to seven years or imprisonment "
            "for the same term."
        ),
        "ru": (
            "4. Деяние, предусмотренное частью третьей настоящей статьи, совершенное:\n"
            + AGGRAVATING_CLAUSES["ru"]
            + "\nнаказывается ограничением свободы на срок от трех до семи лет либо лишением свободы на тот же "
            "срок."
        ),
        "kk": (
            "4. Осы баптың үшінші бөлігінде көзделген іс-әрекет:\n"
            + AGGRAVATING_CLAUSES["kk"]
            + "\nүш жылдан жеті жылға дейінгі мерзімге бас бостандығын шектеуге не сол мерзімге бас "
            "бостандығынан айыруға жазаланады."
        ),
    },
    5: {
        "en": (
            "5. The use of violence dangerous to life or health against persons and for the reasons specified "
            "in the first part of this article – is punishable by imprisonment for a term of five to ten "
            "years."
        ),
        "ru": (
            "5. Применение насилия, опасного для жизни или здоровья, в отношении лиц и по мотивам, указанным в "
            "части первой настоящей статьи, – наказывается лишением свободы на срок от пяти до десяти лет."
        ),
        "kk": (
            "5. Осы баптың бірінші бөлігінде көрсетілген адамдарға қатысты және сол себептер бойынша өмірге "
            "немесе денсаулыққа қауіпті күш қолдану – бес жылдан он жылға дейінгі мерзімге бас бостандығынан "
            "айыруға жазаланады."
        ),
    },
    6: {
        "en": (
            "6. The act provided for in part five of this Article, committed:\n"
            + AGGRAVATING_CLAUSES["en"]
            + "\nis punishable by imprisonment for a term of seven to twelve years."
        ),
        "ru": (
            "6. Деяние, предусмотренное частью пятой настоящей статьи, совершенное:\n"
            + AGGRAVATING_CLAUSES["ru"]
            + "\nнаказывается лишением свободы на срок от семи до двенадцати лет."
        ),
        "kk": (
            "6. Осы баптың бесінші бөлігінде көзделген іс-әрекет:\n"
            + AGGRAVATING_CLAUSES["kk"]
            + "\nжеті жылдан он екі жылға дейінгі мерзімге бас бостандығынан айыруға жазаланады."
        ),
    },
}

TITLE: dict[str, str] = {
    "en": "Article 380-3. Threatening or using violence against a medical professional or an ambulance driver",
    "ru": (
        "Статья 380-3. Угроза или применение насилия в отношении медицинского работника или водителя скорой "
        "медицинской помощи"
    ),
    "kk": (
        "380-3-бап. Медицина қызметкеріне немесе жедел медициналық жәрдем жүргізушісіне қатысты күш "
        "қолданамын деп қорқыту немесе күш қолдану"
    ),
}
