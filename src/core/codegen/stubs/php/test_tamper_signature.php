<?php // stub:drop The tamper check of a signed source: one more byte fails the signature.
    $rejected = webhook_process($method, $headers, $body . HOLE_TAMPER_SUFFIX, $config);
    webhook_test_check($rejected['status'] === 401, 'a tampered body is rejected with 401');
