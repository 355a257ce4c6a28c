"""Demo translations of the parents' and carers' materials into every community language.

Written for the demo with care but without a native speaker's check, so each translated page carries a
"Machine-assisted translation" entry in its history for a human reviewer to act on. Strings not listed
here (and numbers, which stay exact) follow the English. Seeded after the English library; safe to run again.
"""

from wagtail.models import Locale, Page, PageLogEntry
from wagtail_localize.models import Translation
from wagtail_localize.operations import TranslationCreator

from resources.models import ResourceIndexPage
from resources.translations import MACHINE_ASSISTED_ACTION

PARENTS_PAGES = [
    "talking-to-your-child-about-online-safety",
    "signs-your-child-may-be-at-risk",
    "parental-controls-guide",
]

# English string: {language: translation}
WORDS = {
    "Materials": {"pl": "Materiały", "ro": "Materiale", "ur": "مواد", "ar": "المواد"},
    "Talking to your child about online safety": {
        "pl": "Jak rozmawiać z dzieckiem o bezpieczeństwie w internecie",
        "ro": "Cum să vorbiți cu copilul despre siguranța online",
        "ur": "اپنے بچے سے آن لائن حفاظت کے بارے میں بات کرنا",
        "ar": "التحدث مع طفلك عن الأمان على الإنترنت",
    },
    "Conversation starters for every age, and how to stay calm if your child tells you something worrying.": {
        "pl": "Pomysły na rozpoczęcie rozmowy dla każdego wieku i jak zachować spokój, gdy dziecko powie coś "
        "niepokojącego.",
        "ro": "Idei pentru a începe o discuție, la orice vârstă, și cum să rămâneți calm dacă copilul vă spune "
        "ceva îngrijorător.",
        "ur": "ہر عمر کے لیے بات شروع کرنے کے طریقے، اور اگر آپ کا بچہ کوئی پریشان کن بات بتائے تو پُرسکون کیسے رہیں۔",
        "ar": "طرق لبدء الحديث تناسب كل عمر، وكيف تحافظ على هدوئك إذا أخبرك طفلك بشيء مقلق.",
    },
    "Little and often works better than one big talk. Ask what apps and games they enjoy.": {
        "pl": "Krótkie, częste rozmowy działają lepiej niż jedna wielka. Zapytaj, jakie aplikacje i gry lubi.",
        "ro": "Discuțiile scurte și dese funcționează mai bine decât o singură discuție lungă. Întrebați ce "
        "aplicații și jocuri îi plac.",
        "ur": "ایک لمبی گفتگو کے بجائے تھوڑی تھوڑی اور بار بار بات کرنا بہتر ہے۔ پوچھیں کہ انہیں کون سی ایپس اور گیمز پسند ہیں۔",
        "ar": "الأحاديث القصيرة المتكررة أفضل من حديث واحد طويل. اسأل طفلك عن التطبيقات والألعاب التي يحبها.",
    },
    "If your child tells you something worrying, stay calm, thank them for telling you, and get advice from "
    "the NSPCC Helpline on 0808 800 5000.": {
        "pl": "Jeśli dziecko powie ci coś niepokojącego, zachowaj spokój, podziękuj mu, że ci powiedziało, i "
        "poproś o radę infolinię NSPCC pod numerem 0808 800 5000.",
        "ro": "Dacă copilul vă spune ceva îngrijorător, rămâneți calm, mulțumiți-i că v-a spus și cereți sfatul "
        "liniei de asistență NSPCC la 0808 800 5000.",
        "ur": "اگر آپ کا بچہ آپ کو کوئی پریشان کن بات بتائے تو پُرسکون رہیں، بتانے پر اس کا شکریہ ادا کریں، اور NSPCC "
        "ہیلپ لائن سے 0808 800 5000 پر مشورہ لیں۔",
        "ar": "إذا أخبرك طفلك بشيء مقلق، فحافظ على هدوئك واشكره لأنه أخبرك، واطلب النصيحة من خط مساعدة NSPCC على "
        "الرقم 0808 800 5000.",
    },
    "Which app does your child use most, and who do they talk to there?": {
        "pl": "Z której aplikacji twoje dziecko korzysta najczęściej i z kim tam rozmawia?",
        "ro": "Ce aplicație folosește copilul cel mai des și cu cine vorbește acolo?",
        "ur": "آپ کا بچہ کون سی ایپ سب سے زیادہ استعمال کرتا ہے، اور وہاں کس سے بات کرتا ہے؟",
        "ar": "ما التطبيق الذي يستخدمه طفلك أكثر من غيره، ومع من يتحدث فيه؟",
    },
    "Signs your child may be at risk": {
        "pl": "Sygnały, że twoje dziecko może być zagrożone",
        "ro": "Semne că copilul dumneavoastră ar putea fi în pericol",
        "ur": "وہ علامات جن سے پتا چلے کہ آپ کا بچہ خطرے میں ہو سکتا ہے",
        "ar": "علامات قد تدل على أن طفلك في خطر",
    },
    "Changes to look out for, from new unexplained gifts to secrecy about a phone, and who to call.": {
        "pl": "Zmiany, na które warto zwrócić uwagę – od nowych, niewyjaśnionych prezentów po ukrywanie "
        "telefonu – i do kogo zadzwonić.",
        "ro": "Schimbări la care să fiți atenți, de la cadouri noi și neexplicate până la secretomanie legată "
        "de telefon, și pe cine să sunați.",
        "ur": "کن تبدیلیوں پر نظر رکھیں، جیسے نئے تحفے جن کی کوئی وضاحت نہ ہو یا فون کے بارے میں رازداری، اور کس کو فون کریں۔",
        "ar": "تغيّرات يجب الانتباه إليها، من هدايا جديدة لا تفسير لها إلى التكتّم بشأن الهاتف، وبمن تتصل.",
    },
    "Look out for new phones, money or clothes you cannot explain, going missing, older friends, or sudden "
    "changes in mood.": {
        "pl": "Zwróć uwagę na nowe telefony, pieniądze lub ubrania, których pochodzenia nie znasz, znikanie z "
        "domu, starszych znajomych lub nagłe zmiany nastroju.",
        "ro": "Fiți atenți la telefoane, bani sau haine noi pe care nu le puteți explica, la dispariții de "
        "acasă, la prieteni mai în vârstă sau la schimbări bruște de dispoziție.",
        "ur": "نئے فون، پیسے یا کپڑے جن کی آپ وضاحت نہ کر سکیں، گھر سے غائب رہنا، عمر میں بڑے دوست، یا موڈ میں اچانک "
        "تبدیلی پر نظر رکھیں۔",
        "ar": "انتبه إلى هواتف أو أموال أو ملابس جديدة لا تعرف مصدرها، أو الغياب عن المنزل، أو أصدقاء أكبر سنًا، أو "
        "تقلبات مفاجئة في المزاج.",
    },
    "One sign alone may mean nothing, but trust your instincts. Call children's services or the police on "
    "101 for advice, or 999 if a child is in danger.": {
        "pl": "Jeden sygnał może nic nie znaczyć, ale ufaj swojej intuicji. Zadzwoń po radę do służb ds. "
        "dzieci lub na policję pod numer 101, a pod 999, jeśli dziecko jest w niebezpieczeństwie.",
        "ro": "Un singur semn poate să nu însemne nimic, dar aveți încredere în instinctul dumneavoastră. "
        "Sunați la serviciile pentru copii sau la poliție la 101 pentru sfaturi, ori la 999 dacă un copil "
        "este în pericol.",
        "ur": "صرف ایک علامت کا شاید کوئی مطلب نہ ہو، لیکن اپنی سمجھ پر بھروسہ کریں۔ مشورے کے لیے بچوں کی سروسز یا "
        "پولیس کو 101 پر فون کریں، یا اگر کوئی بچہ خطرے میں ہو تو 999 پر۔",
        "ar": "قد لا تعني علامة واحدة شيئًا، لكن ثق بحدسك. اتصل بخدمات الأطفال أو بالشرطة على الرقم 101 للحصول على "
        "النصيحة، أو على 999 إذا كان طفل في خطر.",
    },
    "Parental controls: a practical guide": {
        "pl": "Kontrola rodzicielska: praktyczny przewodnik",
        "ro": "Controlul parental: un ghid practic",
        "ur": "والدین کے کنٹرول: ایک عملی رہنما",
        "ar": "أدوات الرقابة الأبوية: دليل عملي",
    },
    "Setting up controls on home broadband, phones and consoles, and agreeing family rules.": {
        "pl": "Jak ustawić kontrolę na domowym internecie, telefonach i konsolach oraz wspólnie ustalić zasady "
        "rodzinne.",
        "ro": "Cum să configurați controalele pe internetul de acasă, pe telefoane și console și cum să "
        "stabiliți împreună regulile familiei.",
        "ur": "گھر کے براڈبینڈ، فونز اور کنسولز پر کنٹرول لگانا، اور گھر کے اصول مل کر طے کرنا۔",
        "ar": "ضبط أدوات الرقابة على الإنترنت المنزلي والهواتف وأجهزة الألعاب، والاتفاق على قواعد للأسرة.",
    },
    "Controls help, but they are not a replacement for talking. Agree family rules together.": {
        "pl": "Kontrola pomaga, ale nie zastąpi rozmowy. Ustalcie zasady rodzinne razem.",
        "ro": "Controalele ajută, dar nu înlocuiesc discuțiile. Stabiliți împreună regulile familiei.",
        "ur": "کنٹرول مددگار ہیں، لیکن بات چیت کا متبادل نہیں۔ گھر کے اصول مل کر طے کریں۔",
        "ar": "أدوات الرقابة مفيدة، لكنها لا تغني عن الحديث. اتفقوا معًا على قواعد الأسرة.",
    },
    "Most consoles and phones let you limit chat, purchases and screen time from a parent account.": {
        "pl": "Większość konsol i telefonów pozwala ograniczyć czat, zakupy i czas przed ekranem z konta rodzica.",
        "ro": "Majoritatea consolelor și telefoanelor vă permit să limitați chatul, cumpărăturile și timpul "
        "petrecut în fața ecranului dintr-un cont de părinte.",
        "ur": "زیادہ تر کنسولز اور فونز میں والدین کے اکاؤنٹ سے چیٹ، خریداری اور اسکرین کے وقت کو محدود کیا جا سکتا ہے۔",
        "ar": "تتيح لك معظم أجهزة الألعاب والهواتف تقييد الدردشة والمشتريات ووقت الشاشة من حساب الوالدين.",
    },
}


def _translate(page, locale):
    """Translate one page into `locale` from WORDS, publish it (by code) and flag it for a human reviewer."""
    if page.get_translation_or_none(locale) is not None:
        return
    TranslationCreator(None, [locale]).create_translations(page.specific)
    translation = Translation.objects.get(source__object_id=page.translation_key, target_locale=locale)
    po = translation.export_po()
    for entry in po:
        # Addresses stay the same in every language (/pl/resources/…); untranslated strings follow the English.
        entry.msgstr = (
            entry.msgid
            if entry.msgctxt == "slug"
            else WORDS.get(entry.msgid, {}).get(locale.language_code, "")
        )
    translation.import_po(po)
    translation.save_target(user=None, publish=False)
    translated = page.get_translation(locale)
    revision = translated.get_latest_revision()
    revision.publish()
    PageLogEntry.objects.log_action(
        instance=translated,
        action=MACHINE_ASSISTED_ACTION,
        revision=revision,
        data={"language": locale.get_display_name()},
    )


def seed(out):
    library = ResourceIndexPage.objects.filter(locale=Locale.get_default()).first()
    if library is None:
        return
    pages = [library.get_parent(), library] + list(
        Page.objects.child_of(library).filter(slug__in=PARENTS_PAGES).live().order_by("path")
    )
    for locale in Locale.objects.exclude(pk=Locale.get_default().pk):
        for page in pages:
            _translate(page, locale)
