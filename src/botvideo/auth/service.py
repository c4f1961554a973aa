"""Accounts: the user a token names, sign-in, registration."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from botvideo.auth import repository
from botvideo.auth.models import User
from botvideo.auth.passwords import hash_password, verify_password
from botvideo.auth.tokens import TokenClaims
from botvideo.core.errors import Conflict, InvalidInput, NotAuthenticated

MIN_PASSWORD_LENGTH = 8


def user_for_claims(session: Session, claims: TokenClaims) -> User:
    """The user a verified token names; a Supabase user seen for the first time gets a row."""
    user = repository.get_by_auth_user_id(session, claims.sub)
    if user is None:
        email = claims.email if claims.email and repository.get_by_email(session, claims.email) is None else None
        user = repository.add(session, User(auth_user_id=claims.sub, email=email, display_name=""))
    return user


def sign_in(session: Session, email: str, password: str) -> User:
    user = repository.get_by_email(session, email)
    # The same answer for an unknown email and a wrong password, so the form does not reveal who has an account.
    if user is None or user.password_hash is None or not verify_password(user.password_hash, password):
        raise NotAuthenticated("Wrong email or password.")
    return user


def register(session: Session, email: str, password: str, display_name: str = "") -> User:
    email = email.strip().lower()
    if "@" not in email or len(email) > 320:
        raise InvalidInput("Enter a valid email address.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"Use a password of at least {MIN_PASSWORD_LENGTH} characters.")
    if repository.get_by_email(session, email) is not None:
        raise Conflict("An account with that email already exists.")
    return repository.add(
        session,
        User(
            auth_user_id=uuid.uuid4(),
            email=email,
            display_name=display_name.strip()[:120],
            password_hash=hash_password(password),
        ),
    )
