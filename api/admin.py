from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from api.models import PlaceAPIKey
from api.services import apikey_revoke

# The library's own unscoped key model is not used: every key here belongs to a post or a facility.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


@admin.register(PlaceAPIKey)
class PlaceAPIKeyAdmin(APIKeyModelAdmin):
    """Creating a key here shows it once, in a message; only its hash is stored. Revoking cannot be undone."""

    list_display = ("prefix", "name", "post", "facility", "created", "last_used_at", "expiry_date", "revoked")
    list_filter = ("revoked", "created")
    list_select_related = ("post__facility", "facility")
    search_fields = ("name", "prefix", "post__code", "facility__code", "facility__name_ru")
    autocomplete_fields = ("post", "facility")
    actions = ("revoke",)

    def get_readonly_fields(self, request, obj=None):
        fields = (*super().get_readonly_fields(request, obj), "last_used_at")
        if obj is not None:
            fields += ("post", "facility")
        return fields

    def save_model(self, request, obj, form=None, change=False):
        if obj.pk:
            revoking = obj.revoked and form is not None and "revoked" in form.changed_data
            if revoking:
                obj.revoked = False  # revoked by the service, below, as the action does
            obj.save()
            if revoking:
                apikey_revoke(key=obj, actor=request.user)
            return
        key = PlaceAPIKey.objects.assign_key(obj)
        obj.save()
        messages.warning(
            request,
            gettext("The API key for %(name)s is: %(key)s. Keep it safe: it is not shown again.")
            % {"name": obj.name, "key": key},
        )

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for key in queryset.filter(revoked=False):
            apikey_revoke(key=key, actor=request.user)
