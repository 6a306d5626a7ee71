"""Reference data, read-only: facilities, their departments, police posts. For any key or logged-in user."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from api.permissions import IsKeyOrUser
from api.serializers import DepartmentSerializer, FacilitySerializer, PostSerializer
from api.views.base import MethodFirst
from facilities.models import Department, Facility, PolicePost


class FacilityList(MethodFirst, generics.ListAPIView):
    permission_classes = [IsKeyOrUser]
    serializer_class = FacilitySerializer
    queryset = Facility.objects.filter(is_active=True).select_related("district").order_by("code")

    @extend_schema(operation_id="facilities_list", summary="Facilities")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DepartmentList(MethodFirst, generics.ListAPIView):
    permission_classes = [IsKeyOrUser]
    serializer_class = DepartmentSerializer
    queryset = Department.objects.filter(facility__is_active=True).order_by("facility_id", "kind", "name", "pk")

    @extend_schema(operation_id="departments_list", summary="Departments of facilities")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PostList(MethodFirst, generics.ListAPIView):
    permission_classes = [IsKeyOrUser]
    serializer_class = PostSerializer
    queryset = PolicePost.objects.select_related("police_department").order_by("code")

    @extend_schema(operation_id="posts_list", summary="Police posts")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
