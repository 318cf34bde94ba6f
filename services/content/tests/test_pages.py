"""The guide and the week's programme, as a reader sees them."""
import json

from shared.actors import Actor
from shared.contracts import decode

from content.domain.commands import WriteSection
from content.demo import seed


def test_the_demo_guide_is_readable(client, service, catch_up):
    assert seed(service) and not seed(service), "the demo loads once"
    catch_up()
    guide = client.get("/guide").get_data(as_text=True)
    assert "What co-production is" in guide and "<strong>as equals</strong>" in guide
    section = client.get("/guide/accessibility")
    assert section.status_code == 200 and "BSL interpretation" in section.get_data(as_text=True)
    assert client.get("/guide/no-such-section").status_code == 404
    assert "Read this section in Easy Read" in section.get_data(as_text=True)
    assert "Tenants shaping repairs" in client.get("/case-studies?sector=housing").get_data(as_text=True)
    assert "The week ahead" in client.get("/posts?tag=week-ahead").get_data(as_text=True)
    assert "<mark>" in client.get("/search?q=repairs").get_data(as_text=True)


def test_raw_html_in_a_section_is_shown_as_text(client, service, catch_up):
    service.handle(WriteSection(actor=Actor.system("test"), slug="s", title="Title",
                                body="<script>alert(1)</script> and *this*", position=1, publish=True))
    catch_up()
    page = client.get("/guide/s").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "<em>this</em>" in page


def test_an_opened_activity_is_listed_in_the_programme_once(client, service, catch_up, activity_opened):
    message = decode(json.dumps(activity_opened("Tenants shaping repairs")))
    for _ in range(2):  # heard twice, past the inbox, it is still listed once
        with service.runtime.engine.begin() as db:
            service.parts.registry.message_handlers()[message.type](db, message)
    catch_up()
    page = client.get("/programme").get_data(as_text=True)
    assert page.count("Tenants shaping repairs") == 1
    assert "Tuesday 19 November 2030" in page and "13:00 to 15:00" in page
