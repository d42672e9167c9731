"""Seed the catalog of budget categories (plan 1842/KH-UBND II and IV; issue 4)."""

from django.db import migrations

CATEGORIES = [
    ("truyen-thong", "Tuyên truyền, truyền thông", "Communication"),
    ("tap-huan", "Tập huấn, nâng cao năng lực", "Training"),
    ("kiem-tra", "Thanh tra, kiểm tra (Đội 178)", "Inspection"),
    ("ho-tro", "Hỗ trợ người bán dâm tái hòa nhập cộng đồng", "Support for people who sold sex"),
    ("mo-hinh", "Mô hình phòng, chống mại dâm ở xã, phường", "Commune models"),
    ("khac", "Chi khác", "Other"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("budget", "BudgetCategory")
    for order, (code, name, name_en) in enumerate(CATEGORIES, 1):
        Category.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "order": order})


def unseed(apps, schema_editor):
    apps.get_model("budget", "BudgetCategory").objects.filter(
        code__in=[c[0] for c in CATEGORIES], lines__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
