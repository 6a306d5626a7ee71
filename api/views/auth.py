"""Short-lived tokens: a logged-in user (session, second factor given) takes one for a script or a system."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import SessionAuthentication, token_issue
from api.views.base import MethodFirst


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    token_type = serializers.CharField()
    expires_in = serializers.IntegerField()


class TokenIssue(MethodFirst, APIView):
    # Only the session: a token never makes another token, so one cannot outlive the login it came from by more
    # than its own lifetime.
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="token_create", request=None, responses={201: TokenSerializer}, summary="A token")
    def post(self, request: Request) -> Response:
        body = {
            "token": token_issue(user=request.user),
            "token_type": "Bearer",
            "expires_in": settings.QORGAU_API_TOKEN_SECONDS,
        }
        return Response(body, status=201)
