# stub:drop The XML reader of Kaltura's webhook_verify.py: only HTTP notifications can come as XML.


def parse_xml(text: str) -> Dict[str, Any]:
    """Reads notification XML into dicts: text-only elements become strings, repeated names lists."""
    # A DOCTYPE is refused, so no entity expansion can be abused.
    if "<!DOCTYPE" in text.upper():
        raise ValueError("XML with a DOCTYPE is refused")
    value = _element_value(ElementTree.fromstring(text))
    return value if isinstance(value, dict) else {}


def _element_value(element: ElementTree.Element) -> Any:
    children = list(element)
    if not children:
        text = element.text or ""
        return "" if text.strip() == "" else text
    obj: Dict[str, Any] = {}
    for child in children:
        value = _element_value(child)
        if child.tag not in obj:
            obj[child.tag] = value
        elif isinstance(obj[child.tag], list):
            obj[child.tag].append(value)
        else:
            obj[child.tag] = [obj[child.tag], value]
    return obj
