"""Seed the catalogs of communication forms and audiences.

Source: Kế hoạch 1842/KH-UBND ngày 12/03/2018 của UBND tỉnh Đắk Lắk —
II.2 ("truyền thông đại chúng; hội họp thôn, bản, khối phố; panô, áp phích; tạp chí và các
tài liệu tuyên truyền khác … khu vực các trường …, khu trọ của sinh viên, lao động ngoại tỉnh,
người có nguy cơ cao, người đã vi phạm tệ nạn mại dâm"), IV.3 (Sở VH-TT&DL: "panô, áp phích,
băng rôn, … biểu diễn nghệ thuật, thông tin lưu động, chiếu phim, triển lãm, … sách báo của
hệ thống các thư viện"), IV.5 (Sở GD-ĐT: trường học), IV.6 (Sở TT-TT: báo chí, phương tiện
thông tin), IV.12 (Hội LHPN), IV.13 (Tỉnh Đoàn: thanh niên, sinh viên, học sinh).
Administrators may edit or retire entries later; codes stay stable.
"""

from django.db import migrations

PLAN = "KH 1842/KH-UBND (12/03/2018)"

FORMS = [
    ("mass_media", "Truyền thông đại chúng (phát thanh, truyền hình, báo chí)",
     "Mass media (radio, TV, newspapers)", "II.2; IV.6"),
    ("meeting", "Hội họp thôn, buôn, tổ dân phố", "Village or neighbourhood meeting", "II.2"),
    ("posters", "Panô, áp phích, băng rôn", "Panels, posters and banners", "II.2; IV.3"),
    ("leaflets", "Tờ rơi, tạp chí, tài liệu tuyên truyền", "Leaflets, journals and printed material",
     "II.2"),
    ("performance", "Biểu diễn nghệ thuật", "Art performance", "IV.3"),
    ("mobile_info", "Thông tin lưu động", "Mobile information", "IV.3"),
    ("film", "Chiếu phim", "Film screening", "IV.3"),
    ("exhibition", "Triển lãm", "Exhibition", "IV.3"),
    ("library", "Sách báo tại thư viện", "Library (books and newspapers)", "IV.3"),
    ("school", "Tuyên truyền trong trường học", "School session", "II.2; IV.5"),
    ("online", "Mạng xã hội, trang thông tin điện tử", "Social media and websites", "IV.6"),
    ("other", "Hình thức khác", "Other", "II.2"),
]

AUDIENCES = [
    ("public", "Nhân dân (cộng đồng dân cư)", "General public", "II.2"),
    ("students", "Học sinh và sinh viên", "Students", "II.2; IV.5; IV.13"),
    ("migrant_workers", "Lao động ngoại tỉnh", "Migrant workers", "II.2"),
    ("high_risk", "Nhóm có nguy cơ cao", "High-risk groups", "II.2"),
    ("sold_sex", "Người từng bán dâm", "People who sold sex", "II.2"),
    ("business", "Chủ và nhân viên cơ sở kinh doanh dịch vụ", "Business owners and staff",
     "IV.3; IV.7"),
    ("officials", "Cán bộ và công chức", "Officials", "II.2"),
    ("youth_union", "Đoàn viên thanh niên", "Youth Union members", "IV.13"),
    ("womens_union", "Hội viên phụ nữ", "Women's Union members", "IV.12"),
    ("teachers", "Giáo viên và cán bộ nhà trường", "Teachers and school staff", "IV.5"),
    ("other", "Đối tượng khác", "Others", "II.2"),
]


def seed(apps, schema_editor):
    for model_name, rows in (("CommunicationForm", FORMS), ("Audience", AUDIENCES)):
        model = apps.get_model("outreach", model_name)
        for order, (code, name, name_en, sections) in enumerate(rows, 1):
            model.objects.update_or_create(code=code, defaults={
                "name": name, "name_en": name_en, "order": order,
                "source": f"{PLAN}, mục {sections}"})


def unseed(apps, schema_editor):
    for model_name, rows in (("CommunicationForm", FORMS), ("Audience", AUDIENCES)):
        apps.get_model("outreach", model_name).objects.filter(
            code__in=[r[0] for r in rows]).delete()


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
