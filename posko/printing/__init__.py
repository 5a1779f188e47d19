"""Slips on paper: layouts (reportlab), QR codes, ESC/POS and printer backends.

Import-free on purpose: reportlab and qrcode cost tens of milliseconds to
import, paid only when a slip is rendered. Use the submodules:
`layout.citizen_slip_pdf`, `layout.office_copy_pdf`, `escpos.render_escpos`,
`printers.printer_from_config`, `slip_data.SlipData`.
"""
