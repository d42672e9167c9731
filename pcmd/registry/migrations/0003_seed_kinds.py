"""Seed the catalog of kinds of conditional business.

Source: plan 1842/KH-UBND (Đắk Lắk, 12/03/2018), I.2 second bullet: "lưu trú (khách sạn,
nhà nghỉ, nhà trọ), vũ trường, karaoke, quán bar, massage, nhà hàng, cà phê vườn chòi, cắt
tóc thanh nữ, các cơ sở dịch vụ sử dụng nhiều lao động nữ...".

Risk weights (points on a 0–10 scale, used by the inspection risk score) follow where the
plan puts its emphasis; administrators edit them:
- massage / xông hơi 10: IV.4 singles out the health licence and the female staff of
  "xông hơi, xoa bóp"; IV.2 "cửa hàng tầm quất, thư giãn";
- karaoke 8, vũ trường 7, nhà nghỉ 7, quán bar 6, khách sạn 5: IV.2 "trọng tâm là nhà nghỉ,
  khách sạn, quán karaoke, quán bar, vũ trường";
- cắt tóc thanh nữ 8: IV.10 (curtained reclining chairs, staff "ngồi vẫy khách");
- cà phê vườn/chòi 6: I.2; nhà trọ 4: II.4 ("khu vực có nhiều nhà trọ, nhà cho thuê");
- nhà hàng 3; khác 2 ("các cơ sở dịch vụ sử dụng nhiều lao động nữ").
"""

from django.db import migrations

SOURCE = "KH 1842/KH-UBND ngày 12/03/2018, mục I.2"

KINDS = [
    # code, Vietnamese name (no commas: the import template lists the names in a drop-down),
    # English name, risk weight
    ("khach-san", "Khách sạn", "Hotel", 5),
    ("nha-nghi", "Nhà nghỉ", "Guest house", 7),
    ("nha-tro", "Nhà trọ", "Rooming house", 4),
    ("vu-truong", "Vũ trường", "Dance hall", 7),
    ("karaoke", "Karaoke", "Karaoke", 8),
    ("quan-bar", "Quán bar", "Bar", 6),
    ("massage", "Massage/xông hơi", "Massage or sauna", 10),
    ("nha-hang", "Nhà hàng", "Restaurant", 3),
    ("ca-phe-vuon", "Cà phê vườn/chòi", "Garden or hut café", 6),
    ("cat-toc-thanh-nu", "Cắt tóc thanh nữ", "Hair salon with female staff (cắt tóc thanh nữ)", 8),
    ("khac", "Khác", "Other (e.g. services with many female staff)", 2),
]


def seed(apps, schema_editor):
    Kind = apps.get_model("registry", "EstablishmentKind")
    for order, (code, name, name_en, weight) in enumerate(KINDS, 1):
        Kind.objects.update_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "risk_weight": weight, "order": order * 10,
            "is_active": True})


def unseed(apps, schema_editor):
    Kind = apps.get_model("registry", "EstablishmentKind")
    Kind.objects.filter(code__in=[k[0] for k in KINDS], establishments__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0002_licence_version"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
