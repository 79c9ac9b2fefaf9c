<?php // stub:drop The EnableX tamper check: wrong Basic credentials (inside the test script's try block).
    $wrong = $headers;
    $wrong['authorization'] = 'Basic ' . base64_encode('intruder:wrong');
    $rejected = webhook_process($method, $wrong, $body, $config);
    webhook_test_check($rejected['status'] === 401, 'wrong Basic credentials are rejected with 401');
