"""Seed the inspection checklist and the risk-score weights.

Checklist: the points plan 1842/KH-UBND asks the teams to check (I.2, II.4, IV.1–IV.4,
IV.10): licences (culture, health for massage), security-and-order conditions, staff and
their temporary residence, labour, minors, closed rooms and curtains (IV.10: "tháo gỡ màn,
rèm che kín ghế nằm gọi đầu"), signs of prostitution, prices and opening hours.
Administrators edit the catalog (capability catalogs.edit).
"""

from django.db import migrations

ITEMS = [
    # code, Vietnamese, English, legal basis
    ("giay-phep-niem-yet",
     "Giấy chứng nhận đăng ký kinh doanh, giấy phép (văn hóa, y tế) được niêm yết tại cơ sở",
     "Business registration and licences (culture, health) displayed on the premises",
     "KH 1842/KH-UBND mục IV.3, IV.4"),
    ("chung-nhan-antt",
     "Có giấy chứng nhận đủ điều kiện về an ninh, trật tự",
     "Security-and-order certificate held",
     "Nghị định 96/2016/NĐ-CP (điều kiện về an ninh, trật tự); KH 1842/KH-UBND mục IV.2"),
    ("nhan-vien-tam-tru",
     "Có danh sách nhân viên; nhân viên đã đăng ký, khai báo tạm trú",
     "Staff list kept; staff registered and temporary residence declared",
     "KH 1842/KH-UBND mục II.4 (kiểm tra hành chính, biến động lao động ngoại tỉnh)"),
    ("thong-bao-luu-tru",
     "Thông báo lưu trú của khách với công an (cơ sở lưu trú)",
     "Guests' stay declared to the police (accommodation)",
     "Luật Cư trú; KH 1842/KH-UBND mục IV.2"),
    ("hop-dong-lao-dong",
     "Ký hợp đồng lao động với nhân viên",
     "Labour contracts signed with staff",
     "Bộ luật Lao động"),
    ("khong-lao-dong-chua-thanh-nien",
     "Không sử dụng người chưa thành niên làm việc trái quy định",
     "No minors employed contrary to the law",
     "Bộ luật Lao động (lao động chưa thành niên)"),
    ("phong-khong-kin",
     "Phòng không khóa, chốt trong; không có màn, rèm che kín; cửa nhìn rõ bên trong",
     "Rooms not locked from inside; no concealing curtains; doors allow a view inside",
     "KH 1842/KH-UBND mục IV.10"),
    ("suc-khoe-nhan-vien",
     "Nhân viên xoa bóp có giấy chứng nhận sức khỏe, chứng chỉ theo quy định",
     "Massage staff hold the required health certificates",
     "KH 1842/KH-UBND mục IV.4"),
    ("khong-dau-hieu-mai-dam",
     "Không có dấu hiệu hoạt động mại dâm (nhân viên ăn mặc hở hang ngồi vẫy khách, bao cao su đã qua sử dụng, phòng riêng có giường…)",
     "No signs of prostitution (staff beckoning clients, used condoms, private rooms with beds…)",
     "Pháp lệnh Phòng, chống mại dâm 2003; KH 1842/KH-UBND mục IV.10"),
    ("niem-yet-gia",
     "Niêm yết giá dịch vụ",
     "Prices displayed",
     ""),
    ("gio-hoat-dong",
     "Tuân thủ giờ hoạt động theo quy định",
     "Opening hours respected",
     ""),
    ("noi-quy-bien-hieu",
     "Có nội quy, biển hiệu theo quy định",
     "House rules and signboard as required",
     ""),
]


def seed(apps, schema_editor):
    FindingItem = apps.get_model("inspections", "FindingItem")
    for order, (code, name, name_en, basis) in enumerate(ITEMS, 1):
        FindingItem.objects.update_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "legal_basis": basis, "order": order * 10,
            "is_active": True})
    RiskWeights = apps.get_model("inspections", "RiskWeights")
    if not RiskWeights.objects.exists():
        RiskWeights.objects.create(
            name="Trọng số mặc định", is_active=True,
            source="Đề xuất của PCMD theo trọng tâm KH 1842/KH-UBND (mục I.2, II.4, IV.2); "
                   "Ban chỉ đạo tỉnh điều chỉnh.")


def unseed(apps, schema_editor):
    FindingItem = apps.get_model("inspections", "FindingItem")
    FindingItem.objects.filter(code__in=[i[0] for i in ITEMS], findings__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
