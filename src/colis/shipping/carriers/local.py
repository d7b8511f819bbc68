"""The local carrier: karrio's generic carrier, offline, for the demo and the sandbox.

Labels come from karrio's generic label templating (our own A6 template rendered by
`karrio.addons.label.generate_label`); karrio's `generate_zpl_from_svg_label` makes the
ZPL and `svgpdf` the vector PDF from the same SVG. Tracking numbers are colis' own
("CL" + the parcel number + a check digit), so a retried label call gives the same one.
Statuses advance on a clock: `step_minutes` after the label, picked up; then in transit,
out for delivery, delivered (`parcel_local_advance` in the services jumps ahead).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from colis.shipping import ports
from colis.shipping.carriers import karrio_common as kc
from colis.shipping.carriers.svgpdf import svg_to_pdf

# A6 at 300 dpi: 1240 x 1748 dots. A text's y is the top of its line, as karrio's ZPL
# converter places it (^FO); `svgpdf` draws the PDF the same way.
LABEL_TEMPLATE = """<svg viewBox="0 0 1240 1748" xmlns="http://www.w3.org/2000/svg">
<text x="40" y="40" style="font-size: 64; font-weight: bold">{{ carrier.get('display_name', '')|upper|e }}</text>
<text x="40" y="115" style="font-size: 36;">{{ service_name|e }}</text>
<text x="960" y="40" style="font-size: 52; font-weight: bold">{{ shipment.metadata.get('package_index', package_index) }} / {{ shipment.metadata.get('package_count', total_packages) }}</text>
<line x1="30" y1="160" x2="1210" y2="160" stroke-width="4" />
<text x="40" y="210" style="font-size: 30; font-weight: bold">FROM</text>
<text x="40" y="250" style="font-size: 32;">{{ (shipment.shipper.get('company_name') or shipment.shipper.get('person_name', ''))|truncate(60)|e }}</text>
<text x="40" y="290" style="font-size: 32;">{{ shipment.shipper.get('address_line1', '')|truncate(60)|e }}</text>
<text x="40" y="330" style="font-size: 32;">{{ shipment.shipper.get('country_code', '') }}-{{ shipment.shipper.get('postal_code', '')|e }} {{ shipment.shipper.get('city', '')|truncate(40)|e }}</text>
<line x1="30" y1="360" x2="1210" y2="360" stroke-width="4" />
<text x="40" y="410" style="font-size: 36; font-weight: bold">TO</text>
<text x="40" y="460" style="font-size: 64; font-weight: bold">{{ shipment.recipient.get('person_name', '')|truncate(30)|e }}</text>
{% if shipment.recipient.get('company_name') %}<text x="40" y="535" style="font-size: 44;">{{ shipment.recipient.get('company_name')|truncate(45)|e }}</text>
{% endif %}<text x="40" y="590" style="font-size: 48;">{{ shipment.recipient.get('address_line1', '')|truncate(42)|e }}</text>
{% if shipment.recipient.get('address_line2') %}<text x="40" y="648" style="font-size: 48;">{{ shipment.recipient.get('address_line2')|truncate(42)|e }}</text>
{% endif %}<text x="40" y="712" style="font-size: 60; font-weight: bold">{{ shipment.recipient.get('postal_code', '')|e }} {{ shipment.recipient.get('city', '')|upper|truncate(26)|e }}</text>
<text x="40" y="782" style="font-size: 52; font-weight: bold">{{ shipment.recipient.get('country_code', '') }}</text>
<line x1="30" y1="840" x2="1210" y2="840" stroke-width="4" />
<text x="40" y="880" style="font-size: 36;">Weight: {{ '%.2f'|format(shipment.parcels[0].get('weight', 0)) }} kg</text>
<text x="640" y="880" style="font-size: 36;">Order: {{ shipment.get('reference', '')|truncate(28)|e }}</text>
{% for item in (items|default([]))[:4] %}<text x="40" y="{{ 935 + loop.index0 * 45 }}" style="font-size: 32;">{{ item.get('quantity', 1) }} x {{ item.get('sku', '')|truncate(24)|e }} {{ item.get('title', '')|truncate(40)|e }}</text>
{% endfor %}{% if (items|default([]))|length > 4 %}<text x="40" y="1115" style="font-size: 32;">+ {{ (items|default([]))|length - 4 }} more</text>
{% endif %}<line x1="30" y1="1160" x2="1210" y2="1160" stroke-width="4" />
<g data-type="barcode" data-value="{{ tracking_number }}" data-module-width="4" data-width-ratio="2" x="80" y="1210" width="1080" height="300" style="font-size: 40;"></g>
<text x="330" y="1540" style="font-size: 56; font-weight: bold">{{ tracking_number }}</text>
</svg>"""

SERVICES = (
    ports.ServiceOption(
        code="colis_local_standard", name="Standard", amazon_shipping_method="Standard"
    ),
    ports.ServiceOption(
        code="colis_local_express", name="Express", amazon_shipping_method="Express"
    ),
)

# (status, steps after the label) on the local clock.
SCHEDULE: tuple[tuple[ports.TrackingStatus, int, str], ...] = (
    (ports.TrackingStatus.PICKED_UP, 1, "Parcel picked up by the local carrier"),
    (ports.TrackingStatus.IN_TRANSIT, 2, "Parcel at the sorting centre"),
    (ports.TrackingStatus.OUT_FOR_DELIVERY, 3, "Out for delivery"),
    (ports.TrackingStatus.DELIVERED, 4, "Delivered"),
)


def tracking_number_for(reference: str) -> str:
    """ "CL" + 10 digits + a mod-10 check digit (Luhn), from colis' parcel number."""
    digits = "".join(ch for ch in reference if ch.isdigit())[-10:].rjust(10, "0")
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return f"CL{digits}{(10 - total % 10) % 10}"


def _zpl_safe(value: str | None) -> str | None:
    # ^ and ~ start ZPL commands; they cannot appear inside a field.
    return value.replace("^", " ").replace("~", "-") if value else value


class LocalConnection:
    def __init__(self, *, step_minutes: int, name: str) -> None:
        self.step = dt.timedelta(minutes=step_minutes)
        self.name = name
        self._gateway: Any = None

    @property
    def gateway(self) -> Any:
        if self._gateway is None:
            self._gateway = kc.gateway(
                "generic",
                {
                    "carrier_id": "colis_local",
                    "display_name": self.name,
                    "custom_carrier_name": "colis_local",
                    "test_mode": True,
                    "label_template": {
                        "slug": "colis_local_a6",
                        "template": LABEL_TEMPLATE,
                        "template_type": "SVG",
                        "width": 4,
                        "height": 6,
                    },
                    "services": [
                        {
                            "service_name": s.name,
                            "service_code": s.code,
                            "currency": "EUR",
                            "transit_days": 1 if "express" in s.code else 2,
                            "zones": [{"label": "Europe", "rate": 4.9}],
                        }
                        for s in SERVICES
                    ],
                },
            )
        return self._gateway

    def create_shipment(self, request: ports.ShipmentRequest) -> ports.ShipmentResult:
        karrio = kc.karrio_sdk()
        tracking = tracking_number_for(request.tracking_number or request.package.reference)

        def party(p: ports.Party) -> dict[str, Any]:
            return {k: _zpl_safe(v) if isinstance(v, str) else v for k, v in kc.address(p).items()}

        payload = {
            "service": request.service_code,
            # Neither "PDF" (karrio rasterises) nor "ZPL": karrio hands back the rendered SVG.
            "label_type": "SVG",
            "shipper": party(request.sender),
            "recipient": party(request.recipient),
            "return_address": party(request.return_to),
            "parcels": [kc.parcel(request.package, reference=tracking)],
            "reference": _zpl_safe(request.order_reference) or "",
            "options": {},
            "metadata": {
                "package_index": request.package_index,
                "package_count": request.package_count,
            },
        }
        details, messages = karrio.Shipment.create(payload).from_(self.gateway).parse()
        kc.raise_for_messages(messages, self.name)
        if details is None:
            raise ports.CarrierError(f"{self.name}: no label was produced")
        svg = base64.b64decode(details.docs.label).decode("utf-8")
        return ports.ShipmentResult(
            tracking_number=details.tracking_number,
            shipment_identifier=details.shipment_identifier,
            labels=(
                ports.Label(data=svg_to_pdf(svg), format="PDF"),
                ports.Label(data=svg_to_zpl(svg).encode("utf-8"), format="ZPL"),
            ),
            meta={"service_name": (details.meta or {}).get("service_name", "")},
        )

    def cancel_shipment(self, *, shipment_identifier: str, service_code: str) -> None:
        return None  # nothing was sent anywhere: the label is simply void

    def track(self, queries: Sequence[ports.TrackingQuery]) -> list[ports.TrackingResult]:
        results = []
        for query in queries:
            if query.label_created_at is None:
                continue
            now = query.now or dt.datetime.now(tz=dt.UTC)
            events = tuple(
                ports.TrackingEvent(
                    status=status,
                    occurred_at=query.label_created_at + steps * self.step,
                    code=status.value.upper(),
                    description=text,
                    location="colis local hub",
                )
                for status, steps, text in SCHEDULE
                if query.label_created_at + steps * self.step <= now
            )
            upcoming = [
                query.label_created_at + steps * self.step
                for _, steps, _ in SCHEDULE
                if query.label_created_at + steps * self.step > now
            ]
            results.append(
                ports.TrackingResult(
                    tracking_number=query.tracking_number,
                    events=events,
                    status=events[-1].status if events else None,
                    next_check_at=upcoming[0] if upcoming else None,
                )
            )
        return results

    def rates(self, request: ports.RateRequest) -> list[ports.RateQuote]:
        karrio = kc.karrio_sdk()
        payload = {
            "shipper": kc.address(request.sender),
            "recipient": kc.address(request.recipient),
            "parcels": [kc.parcel(p) for p in request.packages],
            "services": [request.service_code] if request.service_code else [],
        }
        rates, messages = karrio.Rating.fetch(payload).from_(self.gateway).parse()
        kc.raise_for_messages(messages, self.name)
        return [
            ports.RateQuote(
                service_code=r.service,
                service_name=(r.meta or {}).get("service_name", r.service),
                amount=float(r.total_charge or 0),
                currency=r.currency or "EUR",
                transit_days=r.transit_days,
            )
            for r in rates
        ]


def svg_to_zpl(svg: str) -> str:
    """karrio's SVG → ZPL converter, told to read UTF-8 (^CI28) on a 300 dpi A6 label."""
    from karrio.addons.renderer import generate_zpl_from_svg_label

    zpl = generate_zpl_from_svg_label(svg)
    return zpl.replace("^XA", "^XA\n^CI28\n^PW1240\n^LL1748", 1)


class LocalCarrier:
    name = "local"
    label = "colis local carrier (demo and sandbox)"
    amazon_carrier_code = "Other"
    amazon_carrier_name = "colis local"
    label_formats = ("PDF", "ZPL")
    services = SERVICES
    clock_driven = True
    credential_fields = (
        ports.CredentialField(
            name="step_minutes",
            label="Minutes between two tracking steps",
            required=False,
            kind="int",
            default=60,
            pattern=r"[1-9][0-9]{0,4}",
            pattern_message="A whole number of minutes between 1 and 99999.",
        ),
    )

    def connect(self, *, credentials: Mapping[str, Any], test_mode: bool) -> LocalConnection:
        return LocalConnection(
            step_minutes=int(credentials.get("step_minutes") or 60), name="colis local"
        )
