"""The default catalogues every municipality starts with (DESIGN.md §2, docs/barriers.md).

Pure data: `services.catalogue_ensure_defaults` writes it. The barrier bits are fixed, so a mask
means the same in every municipality for the default barriers; a municipality's own barriers get
the next free bit (10 and up).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BarrierDefault:
    code: str
    bit: int
    label_nl: str
    label_en: str
    how_to_lower: str
    how_to_lower_en: str
    relational: bool = False


@dataclass(frozen=True)
class EntryDefault:
    code: str
    label_nl: str
    label_en: str


@dataclass(frozen=True)
class TargetGroupDefault:
    code: str
    name_nl: str
    name_en: str
    barriers: tuple[str, ...]


DEFAULT_BARRIERS: tuple[BarrierDefault, ...] = (
    BarrierDefault(
        "cost",
        0,
        "Kost geld",
        "Costs money",
        "Maak meedoen gratis, of zorg voor een gratis plek. Zeg erbij dat niemand hoeft te vragen waarom. "
        "Een Ooievaarspas of een potje van de buurt kan de kosten betalen.",
        "Make taking part free, or keep some places free. Say that nobody has to ask why. "
        "A city pass or a neighbourhood fund can pay the costs.",
    ),
    BarrierDefault(
        "registration",
        1,
        "Vooraf aanmelden of intake",
        "Sign-up or intake in advance",
        "Laat mensen ook zonder aanmelding binnenlopen. Schrijf erbij: 'Je mag zo binnenkomen.' "
        "Is aanmelden echt nodig? Maak het kort: alleen een naam, ter plekke.",
        "Let people walk in without signing up. "
        "Write: 'You can just come in.' Is signing up really needed? Keep it short: just a name, on the spot.",
    ),
    BarrierDefault(
        "commitment",
        2,
        "Vaste verplichting",
        "Fixed commitment",
        "Laat mensen eerst een keer gratis meedoen, zonder dat ze lid worden. "
        "Zeg erbij dat wegblijven mag en dat je later weer kunt aansluiten.",
        "Let people join once for free, without becoming a member. "
        "Say that staying away is fine and that they can join again later.",
    ),
    BarrierDefault(
        "no_host",
        3,
        "Niemand die je ontvangt",
        "Nobody to welcome you",
        "Zet de naam van een gastvrouw of gastheer bij de activiteit. "
        "Die persoon staat bij de deur, stelt nieuwe mensen voor en zoekt een plek voor ze.",
        "Put the name of a host with the activity. "
        "That person stands at the door, introduces new people and finds them a seat.",
    ),
    BarrierDefault(
        "crowded",
        4,
        "Grote of drukke groep",
        "Large or busy group",
        "Maak een rustig moment of een kleine tafel voor nieuwe mensen, bijvoorbeeld het eerste halfuur. "
        "Zeg vooraf hoe druk het is.",
        "Make a quiet moment or a small table for new people, for example the first half hour. "
        "Say beforehand how busy it is.",
    ),
    BarrierDefault(
        "skills",
        5,
        "Ervaring of prestatie verwacht",
        "Experience or performance expected",
        "Schrijf erbij: 'Je hoeft niets te kunnen.' Maak een groep voor beginners, "
        "en laat iemand nieuwe mensen de eerste keer helpen.",
        "Write: 'You don't need to be good at it.' Start a group for beginners, "
        "and let someone help new people the first time.",
    ),
    BarrierDefault(
        "language",
        6,
        "Alleen voor wie goed Nederlands spreekt",
        "Only for good speakers of Dutch",
        "Gebruik korte zinnen en plaatjes. Laat ook iemand meedoen die weinig Nederlands spreekt, "
        "en vraag een buurtgenoot die kan vertalen.",
        "Use short sentences and pictures. "
        "Welcome people who speak little Dutch too, and ask a neighbour who can translate.",
    ),
    BarrierDefault(
        "physical",
        7,
        "Niet rolstoeltoegankelijk",
        "Not wheelchair accessible",
        "Kies een ruimte zonder trap of drempel, met een toegankelijk toilet. "
        "Lukt dat niet? Schrijf precies op wat er wel en niet kan, dan kan iemand zelf kiezen.",
        "Choose a room without stairs or steps, with an accessible toilet. "
        "Not possible? Write exactly what is and isn't possible, so people can decide for themselves.",
    ),
    BarrierDefault(
        "digital",
        8,
        "Alleen digitaal aanmelden of informatie",
        "Only digital sign-up or information",
        "Zorg dat mensen zich ook kunnen aanmelden met een telefoontje of door langs te komen. "
        "Hang de informatie ook op papier op, bijvoorbeeld in het buurthuis.",
        "Make sure people can also sign up by phone or by dropping in. "
        "Put the information up on paper too, for example in the community centre.",
    ),
    BarrierDefault(
        "distance",
        9,
        "Niet in de buurt",
        "Not nearby",
        "Doe de activiteit ook eens in een andere buurt, of regel samen reizen: "
        "een maatje dat meeloopt, of een buurtbus.",
        "Hold the activity in another neighbourhood too, or arrange travelling together: "
        "a buddy who walks along, or a neighbourhood bus.",
        relational=True,
    ),
)

DEFAULT_PARTICIPATION_TYPES: tuple[EntryDefault, ...] = (
    EntryDefault("ontmoeten", "Ontmoeten", "Meeting people"),
    EntryDefault("bewegen", "Bewegen", "Exercise"),
    EntryDefault("creatief", "Creatief", "Creative"),
    EntryDefault("vrijwilligerswerk", "Vrijwilligerswerk", "Volunteer work"),
)

DEFAULT_DOMAINS: tuple[EntryDefault, ...] = (
    EntryDefault("kunst_cultuur", "Kunst en cultuur", "Arts and culture"),
    EntryDefault("onderwijs", "Onderwijs", "Education"),
    EntryDefault("verenigingsleven", "Verenigingsleven", "Clubs and associations"),
    EntryDefault("informatie_advies", "Informatie en advies", "Information and advice"),
    EntryDefault("elkaar_helpen", "Elkaar een handje helpen", "Helping each other"),
    EntryDefault("openbare_ruimte", "Openbare ruimte en maatschappelijk vastgoed", "Public space and buildings"),
    EntryDefault("maatschappelijke_initiatieven", "Maatschappelijke initiatieven", "Community initiatives"),
    EntryDefault("sport_bewegen", "Sport en bewegen", "Sport and exercise"),
    EntryDefault("mantelzorg", "Mantelzorg", "Informal care"),
    EntryDefault("wonen", "Huisvesting en wonen", "Housing"),
    EntryDefault("veiligheid", "Veiligheid", "Safety"),
    EntryDefault("eigen_netwerken", "Eigen netwerken", "Own networks"),
    EntryDefault("gezondheid", "Gezondheid", "Health"),
)

DEFAULT_TARGET_GROUPS: tuple[TargetGroupDefault, ...] = (
    TargetGroupDefault(
        "epa",
        "Mensen met een ernstige psychische aandoening (EPA)",
        "People with a severe mental illness (SMI)",
        ("cost", "registration", "crowded", "no_host"),
    ),
)
