from django.db.models import Prefetch, Q, QuerySet
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from accounts.permissions import RoleRequiredMixin
from facilities.forms import FacilityFilterForm
from facilities.models import Facility, PolicePost


class FacilityPagesMixin(RoleRequiredMixin):
    """Reference data for administrators, facility leads and officers; 403 for other roles (no secret here)."""

    permission_required = "facilities.view_facility"

    def get_queryset(self) -> QuerySet[Facility]:
        posts = PolicePost.objects.select_related("police_department").order_by("code")
        return Facility.objects.select_related("district", "district__police_department", "parent").prefetch_related(
            Prefetch("police_posts", queryset=posts)
        )


class FacilityListView(FacilityPagesMixin, ListView):
    template_name = "facilities/facility_list.html"
    context_object_name = "facilities"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Facility]:
        queryset = super().get_queryset().order_by("is_sample", "district__name_en", "kind", "name_ru")
        self.filter_form = FacilityFilterForm(self.request.GET or None)
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            if data["district"]:
                queryset = queryset.filter(district=data["district"])
            if data["kind"]:
                queryset = queryset.filter(kind=data["kind"])
            if data["q"]:
                q = data["q"]
                queryset = queryset.filter(
                    Q(name_ru__icontains=q)
                    | Q(name_kk__icontains=q)
                    | Q(name_en__icontains=q)
                    | Q(code__icontains=q)
                    | Q(police_posts__code__icontains=q)
                ).distinct()
        return queryset

    def paginate_queryset(self, queryset, page_size):
        # A page number that is not one (`abc`, `٢`, past the end) shows the nearest page, as everywhere else,
        # rather than ListView's 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter_form=self.filter_form, filter_query=query.urlencode())
        return context


class FacilityDetailView(FacilityPagesMixin, DetailView):
    template_name = "facilities/facility_detail.html"
    context_object_name = "facility"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_queryset(self) -> QuerySet[Facility]:
        return super().get_queryset().prefetch_related("departments", "branches")


# Read-only pages: GET and HEAD only, answered before the role gate.
facility_list = require_safe(FacilityListView.as_view())
facility_detail = require_safe(FacilityDetailView.as_view())
