import pytest
from tests.conftest import PERSONA_NAMES

pytestmark = pytest.mark.django_db

@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_home(client_for, name):
    r = client_for(name).get("/")
    assert r.status_code == 200
    import re
    html = r.content.decode()
    print(name, re.findall(r'id="card-([a-z-]+)" data-count="([^"]*)"', html))
