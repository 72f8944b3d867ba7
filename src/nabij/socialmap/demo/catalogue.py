"""What the demo's activities are made of: fact profiles, templates per participation type, themes.

Pure data. The chances are tuned so that the barrier table for the `epa` group looks like the
Oud Charlois analysis of seed 003: most of the supply has two or more barriers for people with
a severe psychiatric vulnerability, and warm places (warme plekken) are scarce.
"""

from __future__ import annotations

from dataclasses import dataclass

from nabij.socialmap.models import PlaceKind

Kind = PlaceKind


@dataclass(frozen=True)
class Profile:
    """How an activity of this sort usually works; every fact is drawn with these chances."""

    cost: float  # chance that it costs money
    prices: tuple[int, ...]  # in cents
    free_option: float  # chance of a free way to join when it costs money
    registration: float
    host: float  # chance that a named person welcomes newcomers
    group: tuple[int, int]  # expected group size, low and high
    commitment: tuple[float, float, float]  # weights of drop_in, series, membership
    level: float
    language: float
    online_only: float  # of those that need sign-up: only online
    one_off: float = 0.06  # chance that it happens once
    monthly: float = 0.14


PROFILES = {
    "inloop": Profile(0.3, (200, 250, 300, 350, 500), 0.3, 0.3, 0.4, (6, 36), (0.95, 0.05, 0.0), 0.02, 0.08, 0.1),
    "maaltijd": Profile(0.8, (300, 350, 400, 500, 750), 0.15, 0.55, 0.45, (10, 45), (1, 0, 0), 0.0, 0.05, 0.15),
    "cursus": Profile(0.55, (500, 750, 1000, 1250, 1500), 0.15, 0.9, 0.45, (6, 20), (0.05, 0.9, 0.05), 0.3, 0.35, 0.2),
    "club": Profile(0.7, (500, 750, 1000, 1250, 1500), 0.1, 0.7, 0.25, (10, 40), (0.1, 0.1, 0.8), 0.45, 0.15, 0.15),
    "warm": Profile(0.05, (200,), 0.5, 0.05, 0.95, (4, 12), (1, 0, 0), 0.0, 0.03, 0.0, one_off=0.0, monthly=0.0),
    "vrijwillig": Profile(0.0, (0,), 0.0, 0.65, 0.6, (3, 16), (0.35, 0.45, 0.2), 0.1, 0.15, 0.15),
    "evenement": Profile(
        0.35, (200, 300, 500, 750, 1000), 0.3, 0.2, 0.25, (30, 150), (1, 0, 0), 0.0, 0.05, 0.1, one_off=0.6, monthly=0.3
    ),
    "online": Profile(0.1, (300, 500), 0.2, 0.85, 0.5, (5, 25), (0.6, 0.4, 0.0), 0.1, 0.3, 0.7),
}


@dataclass(frozen=True)
class Template:
    type: str  # participation type code
    profile: str
    titles: tuple[str, ...]  # with {buurt}, {plek} or {dag}
    description: str  # B1 Dutch
    expect: str
    kinds: tuple[str, ...]  # place kinds it fits; empty: online, without a place
    domains: tuple[str, ...]  # the first always, the second often
    themes: tuple[str, ...] = ()
    perspective: tuple[float, float, float] = (8, 2, 0)  # weights of omgevingsinitiatief, mild werkverband, warme plek
    weight: float = 1.0
    times: tuple[str, ...] = ("10:00", "14:00", "19:30")
    minutes: tuple[int, ...] = (90, 120)
    language: float | None = None  # overrides the profile's chance that good Dutch is needed
    organisations: tuple[str, ...] = ()  # only organisations whose name starts with one of these


MEETING_PLACES = (Kind.BUURTHUIS, Kind.KERK, Kind.BIBLIOTHEEK, Kind.ZORGLOCATIE)
# A table: one template per entry, easier to read unwrapped.
# fmt: off
TEMPLATES: tuple[Template, ...] = (
    # --- ontmoeten -------------------------------------------------------------------------
    Template("ontmoeten", "inloop", ("Koffieochtend in {plek}", "Koffie-inloop {buurt}", "Buurtkoffie op {dag}"),
       "Kom langs voor een kop koffie en een praatje. Je hoeft niets af te spreken.",
       "Koffie of thee, een koekje en buren aan tafel. Je blijft zo lang als je wilt.",
       (*MEETING_PLACES, Kind.WINKEL), ("eigen_netwerken", "maatschappelijke_initiatieven"), (),
       (7, 2, 0.5), 10, ("09:30", "10:00", "10:30")),
    Template("ontmoeten", "maaltijd", ("Buurtmaaltijd in {plek}", "Samen eten in {buurt}", "Buurtlunch in {plek}"),
       "Samen eten met buren. Bewoners koken, jij schuift aan.",
       "Een warme maaltijd aan lange tafels. Je zit naast mensen uit de buurt.",
       (Kind.BUURTHUIS, Kind.KERK, Kind.HORECA), ("eigen_netwerken", "gezondheid"), ("koken",),
       (6, 3, 1), 6, ("12:00", "17:30", "18:00")),
    Template("ontmoeten", "warm", ("Huiskamer {buurt}", "Warme huiskamer {buurt}", "Inloop in de huiskamer"),
       "Een rustige plek om even te zijn. Er is altijd iemand die je welkom heet.",
       "Een kop thee, een krant, een spelletje of een gesprek. Niets moet.",
       (Kind.INLOOPHUIS, Kind.BUURTHUIS, Kind.KERK, Kind.ZORGLOCATIE), ("gezondheid", "eigen_netwerken"), (),
       (0, 1, 9), 2.5, ("10:00", "13:30"), (180, 240)),
    Template("ontmoeten", "warm", ("Herstelcafé", "Inloop voor rust en herstel", "Ervaringscafé {buurt}"),
       "Een inloop voor mensen die het even moeilijk hebben. Ervaringsdeskundigen zijn er voor je.",
       "Je praat als je wilt, of je luistert alleen. Wat je vertelt, blijft hier.",
       (Kind.INLOOPHUIS, Kind.ZORGLOCATIE, Kind.HORECA), ("gezondheid",), ("gezondheid",),
       (0, 2, 8), 1.5, ("10:30", "14:00"), (120, 180)),
    Template("ontmoeten", "inloop", ("Spelletjesmiddag in {plek}", "Sjoelen en kaarten", "Bingo in {buurt}"),
       "Spelletjes doen met buren. Je leert het spel vanzelf.",
       "Kaarten, sjoelen of bingo. Tussendoor koffie en een praatje.",
       MEETING_PLACES, ("eigen_netwerken", "verenigingsleven"), ("spel",),
       (8, 1, 1), 5, ("13:30", "14:00", "19:30")),
    Template("ontmoeten", "inloop", ("Taalcafé {buurt}", "Nederlands oefenen in {plek}", "Praatgroep Nederlands"),
       "Oefen Nederlands in gewone gesprekken. Fouten maken mag.",
       "Je praat in kleine groepjes over gewone dingen. Een vrijwilliger helpt.",
       (Kind.BIBLIOTHEEK, Kind.BUURTHUIS, Kind.HORECA), ("onderwijs", "informatie_advies"), ("taal",),
       (3, 6, 1), 4, ("10:00", "14:00", "19:00"), language=0.0),
    Template("ontmoeten", "cursus", ("Leesclub in {plek}", "Boekenclub {buurt}"),
       "Samen een boek lezen en erover praten.",
       "Elke keer bespreken we een paar hoofdstukken. Je krijgt het boek van de bibliotheek.",
       (Kind.BIBLIOTHEEK, Kind.BUURTHUIS), ("kunst_cultuur", "onderwijs"), ("lezen", "taal"),
       (8, 2, 0), 2, ("10:00", "19:30"), language=0.8),
    Template("ontmoeten", "inloop", ("Digicafé in {plek}", "Hulp bij je telefoon en computer", "Digitaal spreekuur"),
       "Vragen over je telefoon, DigiD of de computer? Vrijwilligers helpen je.",
       "Neem je eigen telefoon of laptop mee. Je krijgt hulp aan een rustige tafel.",
       (Kind.BIBLIOTHEEK, Kind.BUURTHUIS), ("informatie_advies", "onderwijs"), ("digitaal",),
       (6, 4, 0), 3, ("10:00", "14:00")),
    Template("ontmoeten", "inloop",
       ("Ouder-kindochtend {buurt}", "Koffie voor ouders met kleintjes", "Peuterinloop in {plek}"),
       "Ouders en kleine kinderen ontmoeten elkaar. De kinderen spelen, de ouders drinken koffie.",
       "Speelgoed voor de kleintjes en koffie voor jou. Andere ouders uit de buurt zijn er ook.",
       (Kind.BUURTHUIS, Kind.BIBLIOTHEEK, Kind.SCHOOL), ("eigen_netwerken", "onderwijs"), ("kinderen", "spel"),
       (6, 3, 1), 3, ("09:30", "10:00")),
    Template("ontmoeten", "inloop", ("Jongereninloop {buurt}", "Chillen en gamen", "Avond voor jongeren"),
       "Een plek voor jongeren van 12 tot 18. Gamen, muziek of gewoon praten.",
       "De jongerenwerker is er. Je mag ook met een vriend of vriendin komen.",
       (Kind.BUURTHUIS,), ("eigen_netwerken", "veiligheid"), ("spel", "muziek"),
       (6, 3, 1), 2, ("15:30", "19:00", "20:00"), (120, 150)),
    Template("ontmoeten", "evenement", ("Buurtborrel {buurt}", "Burendag in {buurt}", "Straatfeest {buurt}"),
       "Een feest voor de hele buurt. Kom kijken, eten en kennismaken.",
       "Muziek, eten en veel buren. Het is druk en gezellig.",
       (Kind.BUITEN, Kind.BUURTHUIS, Kind.HORECA), ("maatschappelijke_initiatieven", "openbare_ruimte"),
       ("muziek", "koken"), (9, 1, 0), 3, ("14:00", "16:00", "17:00"), (180, 240)),
    Template("ontmoeten", "inloop", ("Vrouwenochtend {buurt}", "Mannen aan de koffie", "Theetafel voor vrouwen"),
       "Praten over wat je bezighoudt, met mensen die je begrijpen.",
       "Een vaste groep, en nieuwe mensen zijn welkom. Elke keer een ander onderwerp.",
       (Kind.BUURTHUIS, Kind.KERK, Kind.ZORGLOCATIE), ("eigen_netwerken",), (),
       (4, 3, 3), 2, ("10:00", "13:30")),
    Template("ontmoeten", "club", ("Seniorensoos in {plek}", "Middag voor 65-plussers", "Ouderenmiddag {buurt}"),
       "Een gezellige middag voor ouderen uit de buurt.",
       "Koffie, een spelletje en soms een lezing of muziek.",
       MEETING_PLACES, ("eigen_netwerken", "verenigingsleven"), ("spel",),
       (7, 1, 2), 3, ("13:30", "14:00")),
    Template("ontmoeten", "evenement", ("Filmavond in {plek}", "Film kijken in {buurt}"),
       "Samen een film kijken en napraten.",
       "Een film op groot scherm, met popcorn. Na afloop praten we er even over.",
       (Kind.BUURTHUIS, Kind.BIBLIOTHEEK, Kind.KERK), ("kunst_cultuur",), (),
       (9, 1, 0), 2, ("19:30", "20:00"), (150,)),
    Template("ontmoeten", "inloop", ("Energiecafé {buurt}", "Spreekuur geldzaken", "Buurtinformatieavond"),
       "Vragen over je energierekening, geld of wonen? Hier krijg je uitleg.",
       "Neem je brieven mee. Iemand kijkt met je mee.",
       (Kind.BUURTHUIS, Kind.OVERIG, Kind.BIBLIOTHEEK), ("informatie_advies", "wonen"), (),
       (7, 3, 0), 2, ("10:00", "19:00")),
    # --- bewegen ---------------------------------------------------------------------------
    Template("bewegen", "inloop", ("Samen wandelen in {buurt}", "Wandelen vanaf {plek}", "Ommetje met de buren"),
       "Een rustige wandeling door de buurt. Iedereen loopt in zijn eigen tempo.",
       "We lopen ongeveer een uur. Daarna drinken we samen koffie.",
       (Kind.BUITEN, Kind.BUURTHUIS, Kind.ZORGLOCATIE, Kind.SPORTPARK), ("sport_bewegen", "gezondheid"),
       ("wandelen", "natuur"), (6, 2, 2), 6, ("09:30", "10:00", "14:00", "19:00"), (60, 90)),
    Template("bewegen", "club", ("Walking football voor 55+", "Voetbal voor 55+", "Zaalvoetbal {buurt}"),
       "Voetballen zonder te rennen. Goed voor je conditie en gezellig.",
       "Een training van een uur, daarna een praatje in de kantine.",
       (Kind.SPORTPARK, Kind.SPORTHAL), ("sport_bewegen", "verenigingsleven"), ("sport",),
       (8, 2, 0), 4, ("10:00", "19:00", "20:00"), (60, 90)),
    Template("bewegen", "cursus", ("Yoga voor beginners", "Stoelyoga in {plek}", "Ontspanningsles"),
       "Rustig bewegen en ontspannen. Je doet mee op je eigen niveau.",
       "Een les van een uur. Neem makkelijke kleren mee; matten zijn er.",
       (Kind.BUURTHUIS, Kind.SPORTHAL, Kind.ZORGLOCATIE), ("sport_bewegen", "gezondheid"), ("gezondheid",),
       (8, 1, 1), 3, ("09:30", "19:00", "20:00"), (60, 75)),
    Template("bewegen", "cursus", ("Meer bewegen voor ouderen", "Stoelgym in {plek}", "Gym voor 65-plussers"),
       "Bewegen op muziek, zittend of staand. Goed voor je balans.",
       "Een groep van ongeveer twaalf mensen. De docent let op wat jij kunt.",
       (Kind.BUURTHUIS, Kind.SPORTHAL, Kind.ZORGLOCATIE), ("sport_bewegen", "gezondheid"), ("sport",),
       (7, 1, 2), 4, ("09:30", "10:30", "14:00"), (45, 60)),
    Template("bewegen", "inloop", ("Bootcamp in het park", "Buitenfitness {buurt}", "Hardlopen voor beginners"),
       "Sporten in de buitenlucht, met een trainer.",
       "Een uur sporten in het park. Je hoeft geen lid te zijn.",
       (Kind.BUITEN, Kind.SPORTPARK), ("sport_bewegen",), ("sport",),
       (9, 1, 0), 3, ("09:00", "19:00", "19:30"), (60,)),
    Template("bewegen", "club", ("Tafeltennis in {plek}", "Badminton op {dag}", "Jeu de boules {buurt}"),
       "Een balletje slaan of gooien, met leden en nieuwe mensen.",
       "We spelen korte potjes en wisselen vaak van tegenstander.",
       (Kind.SPORTHAL, Kind.SPORTPARK, Kind.BUITEN, Kind.BUURTHUIS), ("sport_bewegen", "verenigingsleven"),
       ("sport", "spel"), (8, 2, 0), 3, ("14:00", "19:30", "20:00"), (90, 120)),
    Template("bewegen", "cursus", ("Dansen voor iedereen", "Line dance in {plek}", "Zumba {buurt}"),
       "Dansen op vrolijke muziek. Je leert de passen stap voor stap.",
       "Een les van een uur. Kom gerust alleen: we dansen in een groep.",
       (Kind.BUURTHUIS, Kind.SPORTHAL), ("sport_bewegen", "kunst_cultuur"), ("dans", "muziek"),
       (8, 1, 1), 3, ("10:00", "19:00", "20:00"), (60,)),
    Template("bewegen", "inloop", ("Sport op het trapveld", "Avondsport voor jongeren", "Straatvoetbal {buurt}"),
       "Sporten met jongeren uit de buurt. De jongerenwerker doet mee.",
       "Voetbal, basketbal of wat de groep wil. Gewoon binnenlopen.",
       (Kind.BUITEN, Kind.SPORTHAL), ("sport_bewegen", "veiligheid"), ("sport",),
       (7, 3, 0), 2, ("15:30", "19:00"), (90,)),
    Template("bewegen", "cursus", ("Fietsles voor volwassenen", "Leren fietsen in {buurt}"),
       "Leren fietsen als volwassene. Het kan echt, in je eigen tempo.",
       "Je oefent op een plein zonder verkeer. Fietsen zijn er.",
       (Kind.BUITEN, Kind.SPORTPARK, Kind.WINKEL), ("sport_bewegen", "onderwijs"), (),
       (3, 7, 0), 1, ("10:00", "13:30"), (60, 90), language=0.0),
    # --- creatief --------------------------------------------------------------------------
    Template("creatief", "club", ("Schilderclub {buurt}", "Tekenen en schilderen", "Atelier in {plek}"),
       "Schilderen en tekenen met anderen. Iedereen werkt aan zijn eigen werk.",
       "Materiaal is er. Een ervaren schilder geeft tips als je wilt.",
       (Kind.BUURTHUIS, Kind.SCHOOL, Kind.BIBLIOTHEEK), ("kunst_cultuur", "verenigingsleven"), ("kunst",),
       (8, 2, 0), 4, ("10:00", "14:00", "19:30"), (120, 150)),
    Template("creatief", "inloop", ("Handwerkcafé in {plek}", "Breien en haken", "Naaicafé {buurt}"),
       "Breien, haken of naaien aan een grote tafel. Beginners zijn welkom.",
       "Neem je eigen werk mee, of leer het hier. Wol en naalden zijn er.",
       (Kind.BUURTHUIS, Kind.BIBLIOTHEEK, Kind.KERK, Kind.WINKEL), ("kunst_cultuur", "eigen_netwerken"),
       ("handwerk",), (6, 2, 2), 4, ("10:00", "13:30", "19:30")),
    Template("creatief", "club", ("Buurtkoor {buurt}", "Zingen voor je plezier", "Popkoor {buurt}"),
       "Samen zingen, van popsongs tot oude liedjes. Noten lezen hoeft niet.",
       "We zingen een uur en drinken in de pauze koffie.",
       (Kind.KERK, Kind.BUURTHUIS, Kind.SCHOOL), ("kunst_cultuur", "verenigingsleven"), ("muziek",),
       (8, 2, 0), 3, ("19:30", "20:00"), (90, 120)),
    Template("creatief", "cursus", ("Samen muziek maken", "Gitaarles voor beginners", "Drummen voor jongeren"),
       "Muziek maken zonder ervaring. Instrumenten zijn er.",
       "Een docent leert je de eerste akkoorden. Na een paar lessen speel je een liedje.",
       (Kind.BUURTHUIS, Kind.SCHOOL), ("kunst_cultuur", "onderwijs"), ("muziek",),
       (8, 2, 0), 2, ("15:30", "19:00"), (60,)),
    Template("creatief", "cursus", ("Schrijfgroep in {plek}", "Fotografie in je buurt", "Verhalen vertellen"),
       "Schrijven of fotograferen over je eigen buurt en je eigen leven.",
       "Elke keer een kleine opdracht. Je laat zien wat je wilt.",
       (Kind.BIBLIOTHEEK, Kind.BUURTHUIS), ("kunst_cultuur", "onderwijs"), ("kunst", "lezen"),
       (7, 2, 1), 2, ("10:00", "19:30"), (120,), language=0.7),
    Template("creatief", "inloop", ("Knutselmiddag {buurt}", "Kinderatelier in {plek}"),
       "Knutselen voor kinderen van 4 tot 12. Ouders mogen blijven.",
       "Elke keer iets anders: verven, plakken of bouwen.",
       (Kind.BUURTHUIS, Kind.BIBLIOTHEEK, Kind.SCHOOL, Kind.BUITEN), ("kunst_cultuur", "onderwijs"),
       ("kunst", "kinderen"), (8, 2, 0), 2, ("14:00", "15:30"), (90,)),
    Template("creatief", "club", ("Theatergroep {buurt}", "Toneel voor amateurs"),
       "Toneel spelen met buren. Eén keer per jaar is er een voorstelling.",
       "We oefenen met korte scènes. Je hoeft geen ervaring te hebben.",
       (Kind.BUURTHUIS, Kind.SCHOOL, Kind.KERK), ("kunst_cultuur", "verenigingsleven"), ("kunst",),
       (8, 2, 0), 1, ("19:30",), (120, 150)),
    Template("creatief", "warm", ("Creatieve inloop", "Kleien in alle rust", "Atelier voor herstel"),
       "Rustig bezig zijn met je handen. Je hoeft niets te kunnen.",
       "Een kleine groep, een begeleider en alle tijd. Koffie staat klaar.",
       (Kind.INLOOPHUIS, Kind.ZORGLOCATIE, Kind.BUURTHUIS), ("kunst_cultuur", "gezondheid"), ("kunst", "handwerk"),
       (1, 2, 7), 1.5, ("10:00", "13:30"), (120, 180)),
    Template("creatief", "inloop", ("Houtwerkplaats in {plek}", "Klussen en timmeren"),
       "Timmeren, zagen en schuren in een echte werkplaats.",
       "Een vrijwilliger laat zien hoe het gereedschap werkt. Veiligheid gaat voor.",
       (Kind.OVERIG, Kind.WINKEL, Kind.BUURTHUIS), ("kunst_cultuur", "elkaar_helpen"), ("repareren",),
       (3, 6, 1), 1.5, ("10:00", "13:30", "19:00"), (120, 180)),
    # --- vrijwilligerswerk ---------------------------------------------------------------------
    Template("vrijwilligerswerk", "vrijwillig", ("Repair Café {buurt}", "Samen repareren in {plek}"),
       "Help buren hun spullen te repareren. Handig zijn helpt, zin hebben is genoeg.",
       "Je werkt naast ervaren reparateurs. Er is koffie en er is tijd voor een praatje.",
       (Kind.BUURTHUIS, Kind.KERK, Kind.SCHOOL, Kind.WINKEL), ("elkaar_helpen", "maatschappelijke_initiatieven"),
       ("repareren",), (3, 7, 0), 3, ("10:00", "13:30"), (180,)),
    Template("vrijwilligerswerk", "vrijwillig",
       ("Tuinieren in {plek}", "Samen tuinieren in {buurt}", "Werken in de pluktuin"),
       "Zaaien, wieden en oogsten met anderen. Wat we oogsten, delen we.",
       "Je werkt buiten, in je eigen tempo. Laarzen en gereedschap zijn er.",
       (Kind.TUIN, Kind.BUITEN, Kind.OVERIG), ("openbare_ruimte", "gezondheid"), ("tuinieren", "natuur"),
       (3, 6, 1), 3, ("09:30", "10:00", "14:00"), (120, 180)),
    Template("vrijwilligerswerk", "vrijwillig", ("Meewerken in de kringloopwinkel", "Vrijwilliger in de winkel"),
       "Spullen sorteren, prijzen en verkopen. Een dagdeel per week.",
       "Je werkt in een vast team. Je leert het werk van een collega.",
       (Kind.WINKEL, Kind.OVERIG), ("elkaar_helpen", "maatschappelijke_initiatieven"), (),
       (1, 9, 0), 2, ("09:00", "13:00"), (240,), organisations=("Kringloopwinkel",)),
    Template("vrijwilligerswerk", "vrijwillig",
       ("Zwerfafval prikken in {buurt}", "Schone straat {buurt}", "Groenonderhoud {buurt}"),
       "Samen de buurt schoonhouden. Een uurtje prikken maakt veel verschil.",
       "Grijpers, handschoenen en zakken zijn er. Daarna koffie.",
       (Kind.BUITEN,), ("openbare_ruimte", "veiligheid"), ("natuur",),
       (7, 3, 0), 2, ("10:00", "14:00"), (60, 90)),
    Template("vrijwilligerswerk", "vrijwillig",
       ("Maatje worden", "Boodschappen doen voor een buur", "Vrijwilliger bij de voedselbank"),
       "Iets betekenen voor iemand in je buurt. Je spreekt samen af wat past.",
       "Eerst een kennismakingsgesprek. Daarna help je een paar uur per week.",
       (Kind.BUURTHUIS, Kind.OVERIG, Kind.ZORGLOCATIE), ("elkaar_helpen", "mantelzorg"), (),
       (5, 5, 0), 2, ("10:00", "14:00", "19:00"), (120,)),
    Template("vrijwilligerswerk", "vrijwillig", ("Meekoken in {plek}", "Kookploeg buurtmaaltijd"),
       "Koken voor de buurtmaaltijd, met een vaste ploeg.",
       "Je snijdt, kookt en schept op. Daarna eet je zelf ook mee.",
       (Kind.HORECA, Kind.BUURTHUIS, Kind.KERK), ("elkaar_helpen", "gezondheid"), ("koken",),
       (2, 7, 1), 2, ("15:00", "16:00"), (180,)),
    Template("vrijwilligerswerk", "vrijwillig",
       ("Buurtkrant maken", "Klussendienst {buurt}", "Gastvrouw of gastheer worden"),
       "Help mee in de buurt: schrijven, klussen of mensen ontvangen.",
       "Je kiest zelf wat bij je past. Er is een vaste contactpersoon.",
       (Kind.BUURTHUIS, Kind.OVERIG), ("maatschappelijke_initiatieven", "elkaar_helpen"), (),
       (4, 6, 0), 2, ("10:00", "19:30"), (120,)),
    Template("vrijwilligerswerk", "vrijwillig", ("Meewerken op de boerderij", "Dieren verzorgen"),
       "Buiten werken met dieren en planten, in een rustige omgeving.",
       "Je voert de dieren, maakt de stal schoon en helpt in de tuin.",
       (Kind.OVERIG, Kind.TUIN), ("gezondheid", "elkaar_helpen"), ("natuur",),
       (1, 6, 3), 1, ("09:00", "13:30"), (180, 240), organisations=("Zorgboerderij",)),
    # --- online, without a place -----------------------------------------------------------
    Template("ontmoeten", "online", ("Online taalcafé", "Digitale koffiepauze"),
       "Praat met anderen via een videogesprek. Je doet mee vanuit huis.",
       "Je krijgt een link. Een vrijwilliger helpt als het niet lukt.",
       (), ("eigen_netwerken", "onderwijs"), ("taal", "digitaal"), (5, 3, 2), 0.5, ("10:00", "19:30"), (60,)),
    Template("bewegen", "online", ("Online yoga", "Thuis bewegen met een trainer"),
       "Bewegen in je eigen huiskamer, met een trainer op het scherm.",
       "Een les van een half uur. Je hebt alleen een stoel nodig.",
       (), ("sport_bewegen", "gezondheid"), ("sport",), (8, 1, 1), 0.3, ("09:30", "19:00"), (30, 45)),
    Template("creatief", "online", ("Online schrijfgroep", "Samen tekenen via video"),
       "Samen schrijven of tekenen, ieder vanuit huis.",
       "Je krijgt een opdracht en deelt wat je wilt.",
       (), ("kunst_cultuur",), ("kunst", "lezen"), (8, 2, 0), 0.3, ("10:00", "19:30"), (60, 90)),
)
# fmt: on

# The Oud Charlois mix (seed 003): meeting most, then exercise, creative, volunteer work.
TYPE_MIX = {"ontmoeten": 0.50, "bewegen": 0.21, "creatief": 0.17, "vrijwilligerswerk": 0.12}

THEMES: tuple[tuple[str, str, str], ...] = (
    ("koken", "Koken en eten", "Cooking and food"),
    ("tuinieren", "Tuinieren", "Gardening"),
    ("taal", "Taal", "Language"),
    ("muziek", "Muziek", "Music"),
    ("wandelen", "Wandelen", "Walking"),
    ("digitaal", "Digitaal", "Digital skills"),
    ("handwerk", "Handwerk", "Needlework"),
    ("spel", "Spel", "Games"),
    ("lezen", "Lezen en schrijven", "Reading and writing"),
    ("repareren", "Repareren en klussen", "Repairs and DIY"),
    ("natuur", "Natuur", "Nature"),
    ("sport", "Sport", "Sports"),
    ("kunst", "Kunst", "Art"),
    ("dans", "Dans", "Dance"),
    ("gezondheid", "Gezondheid", "Health"),
    ("kinderen", "Met kinderen", "With children"),
)

# Who welcomes newcomers, per participation type ("Vrijwilliger Fatima"). The demo's first names
# say nothing about gender, so the roles don't either.
HOST_ROLES = {
    "ontmoeten": ("Vrijwilliger", "Buurtbewoner", "Buurtconciërge", "Sociaal werker"),
    "bewegen": ("Trainer", "Begeleider", "Vrijwilliger"),
    "creatief": ("Docent", "Begeleider", "Vrijwilliger"),
    "vrijwilligerswerk": ("Coördinator", "Vrijwilliger", "Teamleider"),
}
WARM_HOST_ROLES = ("Ervaringsdeskundige", "Vrijwilliger", "Sociaal werker")
