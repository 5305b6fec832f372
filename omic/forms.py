"""GOV.UK Design System rendering for Django forms (the uktrade/icms ``TemplatesSetting`` pattern)."""

from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Renders every form with our GOV.UK templates: an error summary, then one GOV.UK form group per field."""

    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"
