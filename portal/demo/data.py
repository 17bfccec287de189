"""The demo: the Pirkanmaa framework agreement (seed 004), its 25 parties and nine goals.

The business IDs are synthetic (well-formed, with valid check digits), not the real ones."""

from portal.organisations.domain import OrganisationKind, business_id_check_digit

TITLE = (
    "Pirkanmaan kuntien, hyvinvointialueen ja maakunnan liiton puitesopimus "
    "yhteistyörakenteiden ja toimintatapojen periaatteeksi"
)

K = OrganisationKind
#: (slug, name, Swedish name, kind, city)
PARTIES = [
    ("pirha", "Pirkanmaan hyvinvointialue", "Birkalands välfärdsområde", K.wellbeing_county, "Tampere"),
    ("akaa", "Akaan kaupunki", "Akaa stad", K.city, "Akaa"),
    ("kangasala", "Kangasalan kaupunki", "Kangasala stad", K.city, "Kangasala"),
    ("hameenkyro", "Hämeenkyrön kunta", "Tavastkyro kommun", K.municipality, "Hämeenkyrö"),
    ("juupajoki", "Juupajoen kunta", "Juupajoki kommun", K.municipality, "Juupajoki"),
    ("ikaalinen", "Ikaalisten kaupunki", "Ikalis stad", K.city, "Ikaalinen"),
    ("kihnio", "Kihniön kunta", "Kihniö kommun", K.municipality, "Kihniö"),
    ("kuhmoinen", "Kuhmoisten kunta", "Kuhmoinen kommun", K.municipality, "Kuhmoinen"),
    ("lempaala", "Lempäälän kunta", "Lempäälä kommun", K.municipality, "Lempäälä"),
    ("mantta-vilppula", "Mänttä-Vilppulan kaupunki", "Mänttä-Vilppula stad", K.city, "Mänttä"),
    ("nokia", "Nokian kaupunki", "Nokia stad", K.city, "Nokia"),
    ("orivesi", "Oriveden kaupunki", "Orivesi stad", K.city, "Orivesi"),
    ("parkano", "Parkanon kaupunki", "Parkano stad", K.city, "Parkano"),
    ("pirkkala", "Pirkkalan kunta", "Birkala kommun", K.municipality, "Pirkkala"),
    ("punkalaidun", "Punkalaitumen kunta", "Punkalaidun kommun", K.municipality, "Punkalaidun"),
    ("palkane", "Pälkäneen kunta", "Pälkäne kommun", K.municipality, "Pälkäne"),
    ("ruovesi", "Ruoveden kunta", "Ruovesi kommun", K.municipality, "Ruovesi"),
    ("sastamala", "Sastamalan kaupunki", "Sastamala stad", K.city, "Sastamala"),
    ("tampere", "Tampereen kaupunki", "Tammerfors stad", K.city, "Tampere"),
    ("urjala", "Urjalan kunta", "Urjala kommun", K.municipality, "Urjala"),
    ("valkeakoski", "Valkeakosken kaupunki", "Valkeakoski stad", K.city, "Valkeakoski"),
    ("vesilahti", "Vesilahden kunta", "Vesilax kommun", K.municipality, "Vesilahti"),
    ("virrat", "Virtain kaupunki", "Virdois stad", K.city, "Virrat"),
    ("ylojarvi", "Ylöjärven kaupunki", "Ylöjärvi stad", K.city, "Ylöjärvi"),
    ("pirkanmaan-liitto", "Pirkanmaan liitto", "Birkalands förbund", K.regional_council, "Tampere"),
]

GOALS = [
    (
        "Hyvinvoinnin ja terveyden edistäminen",
        "Väestön hyvinvoinnin ja terveyden edistäminen ja terveyserojen kaventaminen sekä "
        "hyte-kertoimen vahvistaminen Pirkanmaan kunnissa ja hyvinvointialueella.",
    ),
    (
        "Työllistymisen tukeminen",
        "Työllisyyspalveluiden eheys yksilön palveluita suunniteltaessa, saumaton "
        "viranomaisyhteistyö, yhteiset lakisääteiset asiakassuunnitelmat ja vaikuttavat palvelut.",
    ),
    (
        "Kotoutumisen edistäminen",
        "Kansainvälistä suojelua saavien ja maahanmuuttajien eheä palveluprosessi ja sujuva "
        "yhteistyö kotouttamisessa kunnan sekä hyvinvointialueen välillä.",
    ),
    (
        "Palveluiden, maankäytön, asuntotuotannon ja investointien ohjelmointi sekä yhteinen väestöennuste",
        "Kunnan ja hyvinvointialueen toteutusohjelmien optimointi ja synkronointi.",
    ),
    (
        "Sivistys- ja sote-palvelujen tiivis yhteistyö",
        "Opiskeluhuollon ja koulutuksen järjestäjien systemaattinen yhteistyö ja lasten ja nuorten "
        "hyvinvoinnin tukeminen.",
    ),
    (
        "Tiedolla johtaminen",
        "Vahva tietoperustaisuus yhdyspintoja koskevassa johtamisessa ja yhteinen strateginen "
        "tilannekuva alueen päättäjille.",
    ),
    (
        "Varautuminen ja valmiussuunnittelu",
        "Häiriötilanteisiin ja poikkeusoloihin varautuminen ja niiden aikainen yhteistyö.",
    ),
    (
        "TKI-yhteistyö ja vaikuttaminen",
        "Pirkanmaan osaamispohjan kasvattaminen ja kumppanuuksien vahvistaminen Suomessa ja Euroopassa.",
    ),
    (
        "Järjestöyhteistyö",
        "Järjestöjen roolin ja toimijaverkostojen vakiinnuttaminen kuntien ja hyvinvointialueen "
        "strategisena kumppanina.",
    ),
]


def synthetic_business_ids(count: int, start: int = 3100000) -> list[str]:
    """Well-formed business IDs with valid check digits, deterministic."""
    ids: list[str] = []
    number = start
    while len(ids) < count:
        digits = f"{number:07d}"
        check = business_id_check_digit(digits)
        if check is not None:
            ids.append(f"{digits}-{check}")
        number += 1
    return ids
