# Apps whose pages mount at /<app>/ and whose API endpoints mount under /api/v1/.
REGISTER_APPS = [
    "registry",
    "inspections",
    "enforcement",
    "hotspots",
    "outreach",
    "communes",
    "taskreports",
    "budget",
    "support",
    "reporting",
]
