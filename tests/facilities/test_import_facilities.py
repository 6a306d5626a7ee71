from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from facilities.models import Facility, FacilityKind, PolicePost
from tests import factories

HEADER = "code,name_ru,name_kk,name_en,kind,district,address,latitude,longitude,active,parent,is_sample,departments\n"


@pytest.fixture
def districts(db):
    return {code: factories.DistrictFactory(code=code) for code in ("almaly", "medeu", "turksib")}


def run_import(path, *args):
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("import_facilities", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, text, name="registry.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_a_good_file_creates_facilities_with_departments_and_parents(tmp_path, districts):
    path = write(
        tmp_path,
        HEADER
        + (
            "sub-1,Подстанция 1,1 қосалқы станция,Substation 1,ambulance,turksib,,,,yes,station,no,ambulance_crew\n"
            'station,Станция СМП,ЖМЖ станциясы,Ambulance station,ambulance,almaly,"ул. Абая, 1",43.238949,76.889709,'
            "yes,,no,ambulance_crew\n"
            "gkb-9,ГКБ № 9,№ 9 ҚКА,City Hospital No. 9,multi_profile,medeu,,,,да,,,emergency;ward;icu\n"
        ),
    )

    out, err = run_import(path)

    assert err == ""
    assert "Imported 3 facilities" in out
    station = Facility.objects.get(code="station")
    assert station.address == "ул. Абая, 1"
    assert station.latitude == Decimal("43.238949") and station.longitude == Decimal("76.889709")
    assert Facility.objects.get(code="sub-1").parent == station
    hospital = Facility.objects.get(code="gkb-9")
    assert hospital.kind == FacilityKind.MULTI_PROFILE and hospital.district.code == "medeu"
    assert not hospital.is_sample and hospital.is_active
    assert sorted(hospital.departments.values_list("kind", flat=True)) == ["emergency", "icu", "ward"]


def test_an_existing_code_is_updated_not_duplicated(tmp_path, districts):
    existing = factories.FacilityFactory(code="gkb-9", name_en="Old name", is_sample=True)
    path = write(tmp_path, HEADER + "gkb-9,ГКБ № 9,№ 9 ҚКА,City Hospital No. 9,children,medeu,,,,no,,,\n")

    run_import(path)
    out, _err = run_import(path)

    existing.refresh_from_db()
    assert Facility.objects.filter(code="gkb-9").count() == 1
    assert existing.name_en == "City Hospital No. 9"
    assert existing.kind == FacilityKind.CHILDREN
    assert not existing.is_active and not existing.is_sample
    assert "1 unchanged" in out


def test_a_bad_file_reports_every_bad_row_by_line_and_loads_nothing(tmp_path, districts):
    path = write(
        tmp_path,
        HEADER
        + (
            "ok-1,Больница,Аурухана,Hospital,multi_profile,almaly,,,,yes,,,\n"
            "bad kind,Больница,Аурухана,Hospital,clinic,almaly,,,,yes,,,\n"
            "ok-2,Больница,Аурухана,,multi_profile,nowhere,,91,10,maybe,,,\n"
            "ok-1,Больница,Аурухана,Hospital,multi_profile,almaly,,,,yes,,,\n"
            "ok-3,Больница,Аурухана,Hospital,multi_profile,almaly,,43.2,,yes,missing-parent,,ward;kitchen\n"
        ),
    )

    with pytest.raises(CommandError, match="5 problem|nothing was loaded"):
        run_import(path)

    assert not Facility.objects.exists()


def test_each_problem_is_printed_with_its_line_number(tmp_path, districts):
    path = write(
        tmp_path,
        HEADER
        + (
            "ok-1,Больница,Аурухана,Hospital,multi_profile,almaly,,,,yes,,,\n"
            "bad kind,Больница,Аурухана,Hospital,clinic,almaly,,,,yes,,,\n"
            "ok-2,Больница,Аурухана,,multi_profile,nowhere,,91,10,maybe,,,\n"
            "ok-1,Больница,Аурухана,Hospital,multi_profile,almaly,,,,yes,,,\n"
            "ok-3,Больница,Аурухана,Hospital,multi_profile,almaly,,43.2,,yes,missing-parent,,ward;kitchen\n"
        ),
    )
    err = StringIO()

    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_facilities", str(path), stderr=err)

    lines = err.getvalue().splitlines()
    by_line = {n: [text for text in lines if f": line {n}:" in text] for n in range(1, 8)}
    assert by_line[2] == []
    assert any("code 'bad kind'" in text for text in by_line[3])
    assert any("kind 'clinic'" in text for text in by_line[3])
    assert any("name_en is empty" in text for text in by_line[4])
    assert any("district 'nowhere'" in text for text in by_line[4])
    assert any("latitude '91'" in text for text in by_line[4])
    assert any("active 'maybe'" in text for text in by_line[4])
    assert any("repeats line 2" in text for text in by_line[5])
    assert any("both latitude and longitude" in text for text in by_line[6])
    assert any("kitchen" in text for text in by_line[6])
    assert any("parent 'missing-parent'" in text for text in by_line[6])


def test_a_bad_row_after_good_ones_keeps_existing_data_untouched(tmp_path, districts):
    existing = factories.FacilityFactory(code="ok-1", name_en="Kept")
    path = write(
        tmp_path,
        HEADER
        + (
            "ok-1,Больница,Аурухана,Renamed,multi_profile,almaly,,,,yes,,,\n"
            "new-1,Больница,Аурухана,New,multi_profile,almaly,,,,yes,,,\n"
            "new-2,Больница,Аурухана,New,multi_profile,almaly,,,,yes,new-2,,\n"
        ),
    )

    with pytest.raises(CommandError):
        run_import(path)

    existing.refresh_from_db()
    assert existing.name_en == "Kept"
    assert list(Facility.objects.values_list("code", flat=True)) == ["ok-1"]


def test_parent_cycles_are_rejected(tmp_path, districts):
    path = write(tmp_path, HEADER + ("a,А,А,A,ambulance,almaly,,,,yes,b,,\nb,Б,Б,B,ambulance,almaly,,,,yes,a,,\n"))
    err = StringIO()

    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_facilities", str(path), stderr=err)

    assert "line 2: parent 'b' makes a cycle" in err.getvalue()
    assert not Facility.objects.exists()


def test_missing_and_unknown_columns_are_reported_on_line_1(tmp_path, districts):
    path = write(tmp_path, "code,name_ru,name_en,kind,district,colour\nx,Х,X,other,almaly,red\n")
    err = StringIO()

    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_facilities", str(path), stderr=err)

    assert "line 1: missing columns: name_kk" in err.getvalue()
    assert "line 1: unknown columns: colour" in err.getvalue()


def test_excel_style_semicolons_and_bom_are_accepted(tmp_path, districts):
    path = write(
        tmp_path,
        "\ufeffcode;name_ru;name_kk;name_en;kind;district;latitude;longitude\n"
        "p-1;Поликлиника;Емхана;Polyclinic;polyclinic;turksib;43,25;76,95\n",
    )

    run_import(path)

    facility = Facility.objects.get(code="p-1")
    assert facility.latitude == Decimal("43.25") and facility.longitude == Decimal("76.95")


def test_dry_run_checks_the_file_and_loads_nothing(tmp_path, districts):
    path = write(tmp_path, HEADER + "ok-1,Больница,Аурухана,Hospital,multi_profile,almaly,,,,yes,,,\n")

    out, _err = run_import(path, "--dry-run")

    assert "1 rows are valid" in out
    assert not Facility.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(tmp_path, districts):
    path = write(
        tmp_path, HEADER + "ok-1,Больница,Аурухана,Hospital,multi_profile,almaly,,,,yes,,,\n", encoding="cp1251"
    )

    with pytest.raises(CommandError, match="not UTF-8"):
        run_import(path)

    assert not Facility.objects.exists()


# --- Police posts (--posts) ----------------------------------------------------------------------------------

POST_HEADER = "code,facility,police_department,email,phone,round_the_clock,status,opened_on\n"


def run_posts_import(*args):
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("import_facilities", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def departments(districts):
    return {code: factories.PoliceDepartmentFactory(code=f"up-{code}", district=d) for code, d in districts.items()}


def test_police_posts_are_imported_with_their_contacts_beside_their_facilities(tmp_path, districts, departments):
    facilities = write(tmp_path, HEADER + "gkb-9,ГКБ № 9,№ 9 ҚКА,City Hospital No. 9,multi_profile,medeu,,,,,,,\n")
    posts = write(
        tmp_path,
        POST_HEADER
        + "ALA-PP-09,gkb-9,up-medeu,pp09@police.example.kz,+7 727 000-00-09,yes,active,2026-03-07\n"
        + "ALA-PP-10,gkb-9,up-medeu,,,no,planned,\n",
        name="posts.csv",
    )

    out, _ = run_posts_import(str(facilities), "--posts", str(posts))

    active = PolicePost.objects.get(code="ALA-PP-09")
    assert active.facility.code == "gkb-9" and active.police_department.code == "up-medeu"
    assert active.email == "pp09@police.example.kz" and active.phone == "+7 727 000-00-09"
    assert active.status == PolicePost.Status.ACTIVE and str(active.opened_on) == "2026-03-07"
    planned = PolicePost.objects.get(code="ALA-PP-10")
    assert planned.status == PolicePost.Status.PLANNED and not planned.round_the_clock
    assert "police posts: 2 created, 0 updated, 0 unchanged" in out

    changed = write(tmp_path, POST_HEADER + "ALA-PP-10,gkb-9,up-medeu,pp10@police.example.kz,,yes,active,\n", "p2.csv")
    out, _ = run_posts_import("--posts", str(changed))
    assert PolicePost.objects.get(code="ALA-PP-10").email == "pp10@police.example.kz"
    assert "police posts: 0 created, 1 updated, 0 unchanged" in out


def test_bad_post_rows_are_each_reported_and_nothing_of_either_file_is_loaded(tmp_path, districts, departments):
    facilities = write(tmp_path, HEADER + "gkb-9,ГКБ № 9,№ 9 ҚКА,City Hospital No. 9,multi_profile,medeu,,,,,,,\n")
    posts = write(
        tmp_path,
        POST_HEADER
        + "ALA-PP-01,gkb-9,up-medeu,,,yes,active,\n"  # line 2: active without an e-mail
        + "ALA-PP-02,gkb-9,up-medeu,not-an-address,,yes,planned,\n"  # 3
        + "ALA-PP-03,nowhere,up-nowhere,,,maybe,open,07.03.2026\n"  # 4
        + "ALA-PP-02,gkb-9,up-medeu,,,yes,planned,\n",  # 5: repeats line 3
        name="posts.csv",
    )

    errors = StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="8 problem"):
        call_command("import_facilities", str(facilities), "--posts", str(posts), stderr=errors)

    err = errors.getvalue()
    assert f"{posts}: line 2: an active post needs an e-mail: its notices are sent there" in err
    assert f"{posts}: line 3: e-mail 'not-an-address' is not an e-mail address" in err
    assert f"{posts}: line 4: facility 'nowhere' is neither in the file nor already loaded" in err
    assert f"{posts}: line 4: police department 'up-nowhere' is not one of" in err
    assert f"{posts}: line 4: round_the_clock 'maybe' is not yes or no" in err
    assert f"{posts}: line 4: status 'open' is not one of planned, active" in err
    assert f"{posts}: line 4: opened_on '07.03.2026' is not a date (YYYY-MM-DD)" in err
    assert f"{posts}: line 5: code 'ALA-PP-02' repeats line 3" in err
    assert not Facility.objects.filter(code="gkb-9").exists()
    assert not PolicePost.objects.exists()


def test_a_posts_telegram_chat_id_is_imported_checked_and_kept_when_the_column_is_absent(
    tmp_path, districts, departments
):
    facilities = write(tmp_path, HEADER + "gkb-9,ГКБ № 9,№ 9 ҚКА,City Hospital No. 9,multi_profile,medeu,,,,,,,\n")
    header = "code,facility,police_department,email,telegram_chat_id\n"
    posts = write(tmp_path, header + "ALA-PP-09,gkb-9,up-medeu,pp09@police.example.kz,-1001234567890\n", "p.csv")
    run_posts_import(str(facilities), "--posts", str(posts))
    assert PolicePost.objects.get(code="ALA-PP-09").telegram_chat_id == "-1001234567890"

    # A file without the column (the earlier format) changes the e-mail and keeps the chat id set before.
    older = write(tmp_path, "code,facility,police_department,email\nALA-PP-09,gkb-9,up-medeu,new@police.kz\n", "o.csv")
    out, _ = run_posts_import("--posts", str(older))
    post = PolicePost.objects.get(code="ALA-PP-09")
    assert (post.email, post.telegram_chat_id) == ("new@police.kz", "-1001234567890")
    assert "0 created, 1 updated" in out

    cleared = write(tmp_path, header + "ALA-PP-09,gkb-9,up-medeu,new@police.kz,\n", "c.csv")
    run_posts_import("--posts", str(cleared))
    assert PolicePost.objects.get(code="ALA-PP-09").telegram_chat_id == ""

    bad = write(tmp_path, header + "ALA-PP-09,gkb-9,up-medeu,new@police.kz,my group\n", "b.csv")
    errors = StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_facilities", "--posts", str(bad), stderr=errors)
    assert "telegram_chat_id 'my group' is not a Telegram chat id (a number, or @name)" in errors.getvalue()
