from django import forms


class SignupDetailsForm(forms.Form):
    """The names a person gives when signing up (allauth adds email and password)."""

    full_name = forms.CharField(
        max_length=200,
        label="Full name",
        help_text="As you would like it to appear to the committee and your match.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    preferred_name = forms.CharField(
        max_length=100,
        required=False,
        label="Preferred name (optional)",
        help_text="What you like to be called, if not your full name.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.preferred_name = self.cleaned_data["preferred_name"].strip()
        user.save(update_fields=["full_name", "preferred_name"])


class AccountDeleteForm(forms.Form):
    """The person confirms with their password that they mean to delete their account."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        help_text="To make sure it is you.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your password. Type the password you sign in with.",
                code="wrong_password",
            )
        return password
