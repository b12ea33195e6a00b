"""Every admin (and inline) with autocomplete fields uses the widget that leaves out
values that are not keys: Django's own looks them up and answers a 500 (found by the
hostile-input walk on /admin/vouchers/macaovoucherplace/add/?hospital=<text>)."""

from django.contrib import admin

from portal.core.admin import AutocompleteFieldsMixin


def _admins_with_autocomplete():
    for model_admin in admin.site._registry.values():
        if model_admin.autocomplete_fields:
            yield model_admin.__class__
        for inline in model_admin.inlines:
            if inline.autocomplete_fields:
                yield inline


def test_there_are_admins_with_autocomplete_fields():
    assert list(_admins_with_autocomplete())


def test_every_admin_with_autocomplete_fields_uses_the_safe_widget():
    unsafe = [admin_class.__name__ for admin_class in _admins_with_autocomplete()
              if not issubclass(admin_class, AutocompleteFieldsMixin)]
    assert unsafe == []
