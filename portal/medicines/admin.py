from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from modeltranslation.admin import TabbedTranslationAdmin

from portal.core.admin import AutocompleteFieldsMixin, code_column
from portal.hospitals.admin import SearchDataAdminMixin, SearchKeyAdminMixin

from .forms import ImportForm
from .models import ConnectItem, ConnectItemAlias, ConnectListTotals, ItemApproval, TherapeuticArea
from .services import connect_items_import


@admin.register(TherapeuticArea)
class TherapeuticAreaAdmin(SearchDataAdminMixin, TabbedTranslationAdmin):
    list_display = (code_column(TherapeuticArea), "name")
    search_fields = ("code", "name_en", "name_zh_hant", "name_zh_hans")


@admin.register(ConnectListTotals)
class ConnectListTotalsAdmin(SearchDataAdminMixin, TabbedTranslationAdmin):
    """The published totals shown beside the portal's partial list (decision 0081);
    a new row when new figures are published (the latest is shown)."""

    list_display = ("as_of", "items", "drugs", "devices", "institutions", "source")


class ItemApprovalInline(AutocompleteFieldsMixin, admin.TabularInline):
    model = ItemApproval
    extra = 0
    autocomplete_fields = ("hospital",)


class ConnectItemAliasInline(admin.TabularInline):
    """Brand and other names search finds the item by (Leqvio for inclisiran)."""

    model = ConnectItemAlias
    extra = 1


@admin.register(ConnectItem)
class ConnectItemAdmin(SearchDataAdminMixin, SearchKeyAdminMixin, TabbedTranslationAdmin):
    list_display = ("generic_name", "kind", "therapeutic_area", "status", "approval_date", "source")
    list_filter = ("kind", "status", "therapeutic_area")
    search_fields = ("slug", "generic_name_en", "generic_name_zh_hant", "generic_name_zh_hans", "brand_name_en",
                     "hk_registration_no")
    readonly_fields = ("search_key", "updated_at")
    inlines = [ConnectItemAliasInline, ItemApprovalInline]
    change_list_template = "admin/medicines/connectitem/change_list.html"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="medicines_connectitem_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload a CSV of the Connect list: all rows are checked first, and either
        every row is imported or nothing is, with every error listed by line."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        result = None
        status = 200
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text."))
                status = 400
            else:
                result = connect_items_import(actor=request.user, file=text)
                if result.ok:
                    messages.success(request, _("Imported the Connect list: %(created)s new items, %(updated)s "
                                                "updated, %(approvals)s new approvals.") % {
                        "created": result.created, "updated": result.updated, "approvals": result.approvals})
                    return redirect("admin:medicines_connectitem_changelist")
                status = 400
        elif request.method == "POST":
            status = 400
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "form": form, "result": result,
            "title": _("Import the Connect list from CSV"),
        }
        return TemplateResponse(request, "admin/medicines/connectitem/import.html", context, status=status)
