"""Annex texts in Finnish and Swedish: a compatible one, and the clauses that break each rule."""

FI_GOOD = """Liitesopimus hyvinvoinnin ja terveyden edistämisestä
Tämä liitesopimus on Pirkanmaan kuntien, hyvinvointialueen ja maakunnan liiton puitesopimuksen liite.
Sopimuksen osapuolet ovat Tampereen kaupunki, Nokian kaupunki ja Pirkanmaan hyvinvointialue.
Tampereen kaupungin ja Nokian kaupungin liikuntapalvelut toimivat yhdessä Nokialla ja Tampereella.
Sopimus toteuttaa puitesopimuksen tavoitetta 1 Hyvinvoinnin ja terveyden edistäminen.
Kukin osapuoli vastaa omista kuluistaan.
Sopimuksen irtisanomisaika on kaksitoista (12) kuukautta.
Tästä sopimuksesta johtuvat erimielisyydet ratkaistaan ensin neuvottelemalla ja muutoin hallinto-oikeudessa.
"""

SV_GOOD = """Bilageavtal om främjande av hälsa och välfärd
Detta bilageavtal är en bilaga till ramavtalet mellan kommunerna och välfärdsområdet i Birkaland.
Parter är Tammerfors stad, Nokia stad och Birkalands välfärdsområde.
Tammerfors stads och Nokia stads idrottstjänster samarbetar.
Avtalet genomför mål 1 och 6 i ramavtalet.
Varje part står för sina egna kostnader.
Uppsägningstiden är tolv månader.
Tvister som gäller detta avtal löses i första hand genom förhandlingar och annars i förvaltningsdomstolen.
"""


def replaced(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)
