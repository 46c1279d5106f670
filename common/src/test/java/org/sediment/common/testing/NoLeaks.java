package org.sediment.common.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code @ExtendWith(NoLeaks.class)}: checks that leak detection works before a class runs and
 * fails each test after which a Netty buffer leak was reported.
 */
public final class NoLeaks implements BeforeAllCallback, AfterEachCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        LeakDetection.assertInstalled();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LeakDetection.assertNoLeaks();
    }
}
