import QtQuick
import QtTest
import Natter.Ui

// TestCase is an invisible Item: the components under test live on a visible stage.
Item {
    id: stage
    width: 400
    height: 200

    TestCase {
        id: testCase
        name: "TypingIndicator"
        when: windowShown

        Component {
            id: indicatorComponent
            TypingIndicator {
                width: stage.width
            }
        }

        function test_hiddenAndFlatWithoutNames() {
            const indicator = createTemporaryObject(indicatorComponent, stage)
            verify(!indicator.active)
            verify(!indicator.visible)
            compare(indicator.height, 0)
            compare(indicator.description, "")
        }

        function test_visibleWithNames() {
            const indicator = createTemporaryObject(indicatorComponent, stage, { names: ["Bob"] })
            verify(indicator.active)
            verify(indicator.visible)
            verify(indicator.height > 0)
            verify(indicator.description.indexOf("Bob") >= 0, indicator.description)
        }

        function test_accessibleNameMentionsEveryone_data() {
            return [
                { tag: "two", names: ["Bob", "Carol"], mentioned: ["Bob", "Carol"] },
                { tag: "four", names: ["Bob", "Carol", "Dave", "Erin"], mentioned: ["Bob", "Carol", "2"] }
            ]
        }

        function test_accessibleNameMentionsEveryone(data) {
            const indicator = createTemporaryObject(indicatorComponent, stage, { names: data.names })
            for (const name of data.mentioned)
                verify(indicator.description.indexOf(name) >= 0, indicator.description)
        }

        function test_followsTheNames() {
            const indicator = createTemporaryObject(indicatorComponent, stage)
            indicator.names = ["Bob"]
            verify(indicator.visible)
            verify(indicator.height > 0)
            indicator.names = []
            verify(!indicator.visible)
            compare(indicator.height, 0)
        }
    }
}
