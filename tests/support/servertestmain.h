#pragma once

// main() for suites that run a server in the test process: the main thread
// gets the dispatcher the server runs on in production (EpollEventDispatcher,
// as `natter --headless` and the hosted server's thread have), unless
// NATTER_EVENT_DISPATCHER=qt asks for Qt's own.

#include "epolleventdispatcher.h"

#include <QCoreApplication>
#include <QTest>

#define NATTER_SERVER_TEST_MAIN(TestObject)                                                  \
    int main(int argc, char *argv[])                                                         \
    {                                                                                        \
        if (auto dispatcher = natter::engine::createServerEventDispatcher())                 \
            QCoreApplication::setEventDispatcher(dispatcher.release());                      \
        QCoreApplication app(argc, argv);                                                    \
        app.setAttribute(Qt::AA_Use96Dpi, true);                                             \
        QTEST_SET_MAIN_SOURCE_PATH                                                           \
        TestObject tc;                                                                       \
        return QTest::qExec(&tc, argc, argv);                                                \
    }
