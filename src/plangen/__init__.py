"""plangen: Coaching Service Delivery Plans from Excel workbooks."""

__version__ = "0.1.0"
