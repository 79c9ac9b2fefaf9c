import unittest  # stub:drop
class Part(unittest.TestCase):  # stub:drop The EnableX tamper test: wrong Basic credentials.

    def test_rejects_wrong_credentials(self) -> None:
        headers = dict(FIXTURE["request"]["headers"])
        headers["authorization"] = "Basic " + base64.b64encode(b"intruder:wrong").decode()
        status, _, _ = send(self.url, headers, BODY)
        self.assertEqual(status, 401)
